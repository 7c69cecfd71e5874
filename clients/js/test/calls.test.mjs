import { test } from "node:test";
import assert from "node:assert/strict";
import { ActorRpcClient, RpcError, ConnectionLostError, TimeoutError } from "../actorrpc.js";
import { connected, FakeServer, ManualScheduler, nextEvent, settle, URL } from "../test-support/fakes.mjs";

test("connect resolves once the socket is open, with the state and url", async () => {
  const server = new FakeServer();
  let resolved = false;
  const connecting = ActorRpcClient.connect(URL, { WebSocket: server.WebSocket }).then((client) => {
    resolved = true;
    return client;
  });
  const socket = await server.nextSocket();
  await settle();
  assert.equal(resolved, false, "connect must wait for the socket to open");
  assert.equal(socket.url, URL);
  socket.accept();
  const client = await connecting;
  assert.equal(client.state, "open");
  assert.equal(client.url, URL);
  assert.equal(socket.binaryType, "arraybuffer");
  await client.close();
});

test("connect passes protocols to the WebSocket", async () => {
  const { client, socket } = await connected({ protocols: ["jsonrpc"] });
  assert.deepEqual(socket.protocols, ["jsonrpc"]);
  await client.close();
});

test("connect rejects with ConnectionLostError when the socket cannot open, and makes no second try", async () => {
  const server = new FakeServer();
  const scheduler = new ManualScheduler();
  const connecting = ActorRpcClient.connect(URL, { WebSocket: server.WebSocket, scheduler });
  (await server.nextSocket()).drop(1006);
  await assert.rejects(connecting, ConnectionLostError);
  assert.equal(server.sockets.length, 1);
  assert.equal(scheduler.timers.size, 0);
});

test("an error before open without a close event (Node 20's WebSocket) fails connect too", async () => {
  const server = new FakeServer();
  const connecting = ActorRpcClient.connect(URL, { WebSocket: server.WebSocket });
  const socket = await server.nextSocket();
  socket.error();
  await assert.rejects(connecting, ConnectionLostError);
  assert.equal(socket.closedBy.code, 1000, "the half-made socket is closed");
});

test("an error on an open socket waits for its close event", async () => {
  const { client, socket } = await connected({ reconnect: false });
  const call = client.call("a");
  await socket.next();
  socket.error();
  await settle();
  assert.equal(client.state, "open");
  const closed = nextEvent(client, "closed");
  socket.drop(1006);
  await assert.rejects(call, ConnectionLostError);
  await closed;
});

test("connect without any WebSocket rejects with a TypeError", async () => {
  const saved = globalThis.WebSocket;
  globalThis.WebSocket = undefined;
  try {
    await assert.rejects(ActorRpcClient.connect(URL), TypeError);
  } finally {
    globalThis.WebSocket = saved;
  }
});

test("the constructor is not for direct use", () => {
  assert.throws(() => new ActorRpcClient(URL, {}), TypeError);
});

test("call with positional and named params resolves with the result; ids count from 1", async () => {
  const { client, socket } = await connected();
  const positional = client.call("add", [2, 3]);
  assert.deepEqual(await socket.next(), { jsonrpc: "2.0", method: "add", params: [2, 3], id: 1 });
  const named = client.call("add", { a: 4, b: 5 });
  assert.deepEqual(await socket.next(), { jsonrpc: "2.0", method: "add", params: { a: 4, b: 5 }, id: 2 });
  const none = client.call("ping");
  assert.deepEqual(await socket.next(), { jsonrpc: "2.0", method: "ping", id: 3 });
  // Answers in another order than the calls: matched by id.
  socket.reply({ jsonrpc: "2.0", id: 2, result: 9 });
  socket.reply({ jsonrpc: "2.0", id: 3, result: "pong" });
  socket.reply({ jsonrpc: "2.0", id: 1, result: 5 });
  assert.equal(await positional, 5);
  assert.equal(await named, 9);
  assert.equal(await none, "pong");
  await client.close();
});

test("a null result resolves with null", async () => {
  const { client, socket } = await connected();
  const call = client.call("nothing");
  socket.reply({ jsonrpc: "2.0", id: (await socket.next()).id, result: null });
  assert.equal(await call, null);
  await client.close();
});

test("an error response rejects with RpcError carrying code, message and data", async () => {
  const { client, socket } = await connected();
  const call = client.call("divide", [1, 0]);
  const { id } = await socket.next();
  socket.reply({ jsonrpc: "2.0", id, error: { code: -32050, message: "Computer says no", data: { why: "zero" } } });
  const error = await call.then(() => assert.fail("must reject"), (e) => e);
  assert.ok(error instanceof RpcError);
  assert.ok(error instanceof Error);
  assert.equal(error.name, "RpcError");
  assert.equal(error.code, -32050);
  assert.equal(error.message, "Computer says no");
  assert.deepEqual(error.data, { why: "zero" });
  await client.close();
});

test("invalid params or method reject without sending anything", async () => {
  const { client, socket } = await connected();
  await assert.rejects(client.call(""), TypeError);
  await assert.rejects(client.call("m", 5), TypeError);
  await assert.rejects(client.call("m", null), TypeError);
  await assert.rejects(client.call("m", [1n]), TypeError); // BigInt cannot be serialized
  await assert.rejects(client.notify("m", "x"), TypeError);
  await settle();
  assert.equal(socket.unread, 0);
  // The failed attempts used no id.
  const call = client.call("ok");
  assert.equal((await socket.next()).id, 1);
  socket.reply({ jsonrpc: "2.0", id: 1, result: true });
  await call;
  await client.close();
});

test("responses for unknown ids, null ids and stray results are ignored", async () => {
  const { client, socket } = await connected();
  const call = client.call("slow");
  const { id } = await socket.next();
  socket.reply({ jsonrpc: "2.0", id: 999, result: "wrong" });
  socket.reply({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
  socket.reply({ jsonrpc: "2.0", id: String(id), result: "wrong type" });
  let settled = false;
  call.finally(() => (settled = true)).catch(() => {});
  await settle();
  assert.equal(settled, false);
  socket.reply({ jsonrpc: "2.0", id, result: "right" });
  assert.equal(await call, "right");
  await client.close();
});

test("calls in flight reject at once with ConnectionLostError when the socket drops", async () => {
  const { client, socket } = await connected({ reconnect: false });
  const first = client.call("a");
  const second = client.call("b");
  await socket.next();
  await socket.next();
  const closed = nextEvent(client, "closed");
  socket.drop(1011, "server went away");
  const error = await first.then(() => assert.fail("must reject"), (e) => e);
  assert.ok(error instanceof ConnectionLostError);
  assert.equal(error.name, "ConnectionLostError");
  await assert.rejects(second, ConnectionLostError);
  assert.deepEqual(await closed, { code: 1011, reason: "server went away" });
  assert.equal(client.state, "closed");
  await assert.rejects(client.call("after"), ConnectionLostError);
  await assert.rejects(client.notify("after"), ConnectionLostError);
});

test("a call timeout rejects with TimeoutError and sends $/cancelRequest for its id", async () => {
  const scheduler = new ManualScheduler();
  const { client, socket } = await connected({ scheduler, timeout: 250 });
  const call = client.call("sleep", [10000]);
  const timer = await scheduler.nextTimer();
  assert.equal(timer.ms, 250);
  const { id } = await socket.next();
  scheduler.fire(timer.handle);
  const error = await call.then(() => assert.fail("must reject"), (e) => e);
  assert.ok(error instanceof TimeoutError);
  assert.equal(error.name, "TimeoutError");
  assert.deepEqual(await socket.next(), { jsonrpc: "2.0", method: "$/cancelRequest", params: { id } });
  // A late answer is ignored.
  socket.reply({ jsonrpc: "2.0", id, result: "late" });
  await client.close();
});

test("a per-call timeout overrides the client's; 0 means none", async () => {
  const scheduler = new ManualScheduler();
  const { client, socket } = await connected({ scheduler, timeout: 250 });
  const call = client.call("sleep", [1], { timeout: 40 });
  assert.equal((await scheduler.nextTimer()).ms, 40);
  const untimed = client.call("sleep", [2], { timeout: 0 });
  await socket.next();
  const { id } = await socket.next();
  assert.equal(scheduler.timers.size, 1, "a timeout of 0 makes no timer");
  socket.reply({ jsonrpc: "2.0", id: 1, result: 1 });
  socket.reply({ jsonrpc: "2.0", id, result: 2 });
  assert.equal(await call, 1);
  assert.equal(await untimed, 2);
  assert.equal(scheduler.timers.size, 0, "an answered call clears its timer");
  await client.close();
});

test("an aborted signal rejects with its reason and sends $/cancelRequest", async () => {
  const { client, socket } = await connected();
  const controller = new AbortController();
  const call = client.call("sleep", [10000], { signal: controller.signal });
  const { id } = await socket.next();
  controller.abort();
  const error = await call.then(() => assert.fail("must reject"), (e) => e);
  assert.equal(error.name, "AbortError");
  assert.equal(error, controller.signal.reason);
  assert.deepEqual(await socket.next(), { jsonrpc: "2.0", method: "$/cancelRequest", params: { id } });
  await client.close();
});

test("an already aborted signal rejects without sending", async () => {
  const { client, socket } = await connected();
  const reason = new Error("stop");
  await assert.rejects(client.call("m", [], { signal: AbortSignal.abort(reason) }), (e) => e === reason);
  await settle();
  assert.equal(socket.unread, 0);
  await client.close();
});

test("notify sends a request without id and resolves once sent", async () => {
  const { client, socket } = await connected();
  await client.notify("log", ["hello"]);
  assert.deepEqual(await socket.next(), { jsonrpc: "2.0", method: "log", params: ["hello"] });
  await client.notify("tick");
  assert.deepEqual(await socket.next(), { jsonrpc: "2.0", method: "tick" });
  await client.close();
});

test("Buffer and ArrayBuffer frames are decoded as UTF-8 JSON", async () => {
  const { client, socket } = await connected();
  const a = client.call("a");
  const b = client.call("b");
  const c = client.call("c");
  await socket.next();
  await socket.next();
  await socket.next();
  socket.deliver(Buffer.from(JSON.stringify({ jsonrpc: "2.0", id: 1, result: "bücher" })));
  const bytes = new TextEncoder().encode(JSON.stringify({ jsonrpc: "2.0", id: 2, result: "ß" }));
  socket.deliver(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const text = JSON.stringify({ jsonrpc: "2.0", id: 3, result: "fragments" });
  socket.deliver([Buffer.from(text.slice(0, 10)), Buffer.from(text.slice(10))]);
  assert.equal(await a, "bücher");
  assert.equal(await b, "ß");
  assert.equal(await c, "fragments");
  await client.close();
});

test("invalid JSON and non-objects are ignored; the connection keeps working", async () => {
  const { client, socket } = await connected();
  const warnings = [];
  const warn = console.warn;
  console.warn = (...args) => warnings.push(args.join(" "));
  try {
    const call = client.call("a");
    const { id } = await socket.next();
    socket.deliver("{not json");
    socket.reply(42);
    socket.reply(null);
    socket.reply("text");
    socket.reply({ jsonrpc: "2.0", id, result: "still fine" });
    assert.equal(await call, "still fine");
    assert.equal(client.state, "open");
    assert.ok(warnings.length >= 1 && warnings.length <= 4, `warnings: ${warnings}`);
  } finally {
    console.warn = warn;
  }
  await client.close();
});

test("a batch from the server is handled item by item, its requests answered together in one array", async () => {
  const { client, socket } = await connected();
  const notifications = [];
  client.addEventListener("notification", (e) => notifications.push(e.detail));
  client.addMethod("confirm", (params) => params[0] === "sure?");
  let release;
  client.addMethod("slow", () => new Promise((resolve) => (release = resolve)));
  const a = client.call("a");
  const b = client.call("b");
  await socket.next();
  await socket.next();
  socket.reply([
    { jsonrpc: "2.0", id: 2, result: "two" },
    { jsonrpc: "2.0", method: "news", params: { n: 1 } },
    42,
    { jsonrpc: "2.0", id: 1, error: { code: -1, message: "one" } },
    { jsonrpc: "2.0", method: "confirm", params: ["sure?"], id: "s:1" },
    { jsonrpc: "2.0", method: "slow", id: "s:2" },
    { jsonrpc: "2.0", method: "nope", id: "s:3" },
  ]);
  assert.equal(await b, "two");
  await assert.rejects(a, (e) => e instanceof RpcError && e.code === -1);
  assert.deepEqual(notifications, [{ method: "news", params: { n: 1 } }]);
  await settle();
  assert.equal(socket.unread, 0, "the batch's answer waits for its slowest request");
  release("done");
  assert.deepEqual(await socket.next(), [
    { jsonrpc: "2.0", id: "s:1", result: true },
    { jsonrpc: "2.0", id: "s:2", result: "done" },
    { jsonrpc: "2.0", id: "s:3", error: { code: -32601, message: "Method not found" } },
  ]);

  // A batch of notifications and responses only is answered with nothing at all.
  socket.reply([{ jsonrpc: "2.0", method: "news", params: { n: 2 } }]);
  await settle();
  assert.equal(socket.unread, 0);
  assert.equal(notifications.length, 2);
  await client.close();
});

test("close rejects calls in flight, fires closed and never reconnects", async () => {
  const scheduler = new ManualScheduler();
  const { client, server, socket } = await connected({ scheduler, timeout: 1000 });
  const call = client.call("sleep");
  await socket.next();
  const closed = nextEvent(client, "closed");
  await client.close();
  await assert.rejects(call, ConnectionLostError);
  assert.deepEqual(await closed, { code: 1000, reason: "Closed by the client" });
  assert.equal(socket.closedBy.code, 1000);
  assert.equal(client.state, "closed");
  assert.equal(scheduler.timers.size, 0, "no timer is left behind");
  assert.equal(server.sockets.length, 1);
  assert.equal(client.close(), client.close(), "close twice returns the same promise");
});
