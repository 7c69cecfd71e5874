// What a misbehaving or hostile server must not be able to do to the client (review of issue 15: J6–J10).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ActorRpcClient, RpcError } from "../actorrpc.js";
import { connected, FakeServer, nextEvent, settle, URL, reconnectAttempt } from "../test-support/fakes.mjs";

/** Runs `body` with console.warn recorded; returns the warnings. */
async function withWarnings(body) {
  const warnings = [];
  const warn = console.warn;
  console.warn = (...args) => warnings.push(args.join(" "));
  try {
    await body();
  } finally {
    console.warn = warn;
  }
  return warnings;
}

// ---- J6: malformed responses ----

for (const [name, response] of [
  ["an error that is a string", { error: "boom" }],
  ["an error of null without a result", { error: null }],
  ["an error object without a numeric code", { error: { message: "no code" } }],
  ["neither result nor error", {}],
]) {
  test(`a response with ${name} rejects with RpcError -32603 "Invalid response"`, async () => {
    const { client, socket } = await connected();
    const call = client.call("a");
    const { id } = await socket.next();
    socket.reply({ jsonrpc: "2.0", id, ...response });
    await assert.rejects(call, (e) => e instanceof RpcError && e.code === -32603 && e.message === "Invalid response");
    await client.close();
  });
}

// ---- J7: close() ends even when the socket never says it closed ----

test("close() resolves after a bounded wait when the socket never reports its close", async () => {
  const { client, socket, scheduler } = await connected();
  socket.close = (code, reason) => {
    socket.readyState = 2;
    socket.closedBy = { code, reason };
  };
  const closedEvent = nextEvent(client, "closed");
  let done = false;
  const closing = client.close().then(() => (done = true));
  const wait = await scheduler.nextTimer(1000);
  assert.equal(done, false);
  scheduler.fire(wait.handle);
  await closing;
  assert.deepEqual(await closedEvent, { code: 1006, reason: "Closed by the client" });
  assert.equal(socket.closedBy.code, 1000);
  assert.equal(client.state, "closed");
});

// ---- J8: server→client calls ----

test("a server call whose id is in flight is answered -32600; the first runs on and can still be cancelled", async () => {
  const { client, socket } = await connected();
  let signalOfFirst;
  let runs = 0;
  client.addMethod("long", (params, { signal }) => {
    runs += 1;
    signalOfFirst ??= signal;
    return new Promise((_, reject) => signal.addEventListener("abort", () => reject(new RpcError(-32800, "Cancelled"))));
  });
  socket.reply({ jsonrpc: "2.0", method: "long", id: 7 });
  socket.reply({ jsonrpc: "2.0", method: "long", id: 7 });
  assert.deepEqual(await socket.next(), { jsonrpc: "2.0", id: 7, error: { code: -32600, message: "Duplicate id" } });
  assert.equal(runs, 1);
  socket.reply({ jsonrpc: "2.0", method: "$/cancelRequest", params: { id: 7 } });
  assert.equal(signalOfFirst.aborted, true);
  assert.deepEqual(await socket.next(), { jsonrpc: "2.0", id: 7, error: { code: -32800, message: "Cancelled" } });
  await client.close();
});

test("at most 64 server calls run at once; beyond that the client answers -32000 Client busy", async () => {
  const { client, socket } = await connected();
  const releases = [];
  const events = [];
  client.addEventListener("servercall", (e) => events.push(e.detail.id));
  client.addMethod("wait", () => new Promise((resolve) => releases.push(resolve)));
  for (let id = 1; id <= 65; id++) socket.reply({ jsonrpc: "2.0", method: "wait", id });
  assert.deepEqual(await socket.next(), { jsonrpc: "2.0", id: 65, error: { code: -32000, message: "Client busy" } });
  assert.equal(releases.length, 64);
  assert.equal(events.length, 64, "a refused call fires no servercall event");
  releases[0]("first");
  assert.deepEqual(await socket.next(), { jsonrpc: "2.0", id: 1, result: "first" });
  socket.reply({ jsonrpc: "2.0", method: "wait", id: 66 });
  await settle();
  assert.equal(releases.length, 65, "a freed slot takes the next call");
  await client.close();
});

// ---- J9: the token stays out of constructor errors ----

test('with tokenIn "query", a WebSocket constructor error does not carry the token', async () => {
  class Throwing {
    constructor(url) {
      throw new DOMException(`Failed to construct 'WebSocket': The URL '${url}' is invalid.`, "SyntaxError");
    }
  }
  const failure = await ActorRpcClient.connect(URL, { WebSocket: Throwing, token: "s3cret", tokenIn: "query" }).then(
    () => assert.fail("connect should reject"),
    (error) => error,
  );
  assert.equal(failure.name, "SyntaxError");
  assert.doesNotMatch(String(failure.message), /s3cret/);
  assert.doesNotMatch(String(failure.stack), /s3cret/);
  assert.match(failure.message, /ws:\/\/server\.test\/rpc/);
});

// ---- J10 ----

test('messages without "jsonrpc": "2.0" are ignored, and bad frames warn once per client', async () => {
  const { client, socket } = await connected();
  const notifications = [];
  client.addEventListener("notification", (e) => notifications.push(e.detail));
  const warnings = await withWarnings(async () => {
    const call = client.call("a");
    const { id } = await socket.next();
    socket.reply({ id, result: "no version" });
    socket.reply({ jsonrpc: "1.0", id, result: "old version" });
    socket.reply({ jsonrpc: "1.0", method: "news", params: 1 });
    socket.deliver("{not json");
    socket.reply(42);
    socket.reply({ jsonrpc: "2.0", id, result: "right" });
    assert.equal(await call, "right");
  });
  assert.deepEqual(notifications, []);
  assert.equal(warnings.length, 1, `warnings: ${warnings}`);
  await client.close();
});

test("$/cancelRequest fires no notification event", async () => {
  const { client, socket } = await connected();
  const notifications = [];
  client.addEventListener("notification", (e) => notifications.push(e.detail.method));
  socket.reply({ jsonrpc: "2.0", method: "$/cancelRequest", params: { id: 1 } });
  socket.reply({ jsonrpc: "2.0", method: "news" });
  assert.deepEqual(notifications, ["news"]);
  await client.close();
});

test("a response to a call not yet sent on that socket (queued while reconnecting) is ignored", async () => {
  const { client, server, socket, scheduler } = await connected({ token: "t" }, (s) => s.answer("authenticate", {}));
  socket.drop(1006);
  const queued = client.call("ping");
  const second = await reconnectAttempt(server, scheduler);
  const auth = await second.next();
  second.reply({ jsonrpc: "2.0", id: auth.id - 1, result: "forged" });
  second.reply({ jsonrpc: "2.0", id: auth.id, result: {} });
  const ping = await second.next();
  assert.equal(ping.method, "ping");
  second.reply({ jsonrpc: "2.0", id: ping.id, result: "pong" });
  assert.equal(await queued, "pong");
  await client.close();
});

test("authenticate(token) on a client made with a token function keeps asking the function on reconnects", async () => {
  let asked = 0;
  const { client, server, socket, scheduler } = await connected({ token: () => `fn-${++asked}` }, (s) =>
    s.answer("authenticate", {}),
  );
  const authenticating = client.authenticate("manual");
  assert.deepEqual((await socket.answer("authenticate", { name: "bob", expires: null })).params, { token: "manual" });
  assert.deepEqual(await authenticating, { name: "bob", expires: null });
  socket.drop(1006);
  const second = await reconnectAttempt(server, scheduler);
  assert.deepEqual((await second.answer("authenticate", {})).params, { token: "fn-2" });
  await client.close();
});

test("a server request in a batch of one is answered with an array", async () => {
  const { client, socket } = await connected();
  client.addMethod("m", () => "r");
  socket.reply([{ jsonrpc: "2.0", method: "m", id: 1 }]);
  assert.deepEqual(await socket.next(), [{ jsonrpc: "2.0", id: 1, result: "r" }]);
  await client.close();
});
