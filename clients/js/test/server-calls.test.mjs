import { test } from "node:test";
import assert from "node:assert/strict";
import { RpcError } from "../actorrpc.js";
import { connected, nextEvent, settle } from "../test-support/fakes.mjs";

test("a server call is answered with the handler's result, after a servercall event", async () => {
  const { client, socket } = await connected();
  const seen = [];
  client.addEventListener("servercall", (e) => seen.push(e.detail));
  client.addMethod("confirm", async (params, { id, signal }) => {
    assert.equal(id, "s:1");
    assert.ok(signal instanceof AbortSignal);
    return { ok: params[0] };
  });
  socket.reply({ jsonrpc: "2.0", method: "confirm", params: ["sure?"], id: "s:1" });
  assert.deepEqual(await socket.next(), { jsonrpc: "2.0", id: "s:1", result: { ok: "sure?" } });
  assert.deepEqual(seen, [{ method: "confirm", params: ["sure?"], id: "s:1" }]);
  await client.close();
});

test("a handler returning nothing answers with result null", async () => {
  const { client, socket } = await connected();
  client.addMethod("fire", () => {});
  socket.reply({ jsonrpc: "2.0", method: "fire", id: "s:2" });
  assert.deepEqual(await socket.next(), { jsonrpc: "2.0", id: "s:2", result: null });
  await client.close();
});

test("an unknown method is answered with -32601", async () => {
  const { client, socket } = await connected();
  const seen = nextEvent(client, "servercall");
  socket.reply({ jsonrpc: "2.0", method: "nope", params: [], id: "s:3" });
  assert.deepEqual(await seen, { method: "nope", params: [], id: "s:3" });
  assert.deepEqual(await socket.next(), {
    jsonrpc: "2.0",
    id: "s:3",
    error: { code: -32601, message: "Method not found" },
  });
  await client.close();
});

test("a handler's RpcError is answered with its code, message and data", async () => {
  const { client, socket } = await connected();
  client.addMethod("confirm", () => {
    throw new RpcError(-32042, "User said no", { retry: false });
  });
  socket.reply({ jsonrpc: "2.0", method: "confirm", id: "s:4" });
  assert.deepEqual(await socket.next(), {
    jsonrpc: "2.0",
    id: "s:4",
    error: { code: -32042, message: "User said no", data: { retry: false } },
  });
  await client.close();
});

test("any other failure is answered with -32603 Internal error, without its message", async () => {
  const { client, socket } = await connected();
  client.addMethod("confirm", async () => {
    throw new Error("secret database password in here");
  });
  socket.reply({ jsonrpc: "2.0", method: "confirm", id: "s:5" });
  const answer = await socket.next();
  assert.deepEqual(answer, { jsonrpc: "2.0", id: "s:5", error: { code: -32603, message: "Internal error" } });
  assert.doesNotMatch(JSON.stringify(answer), /secret/);
  await client.close();
});

test("addMethod replaces a name; its remover and removeMethod unregister", async () => {
  const { client, socket } = await connected();
  const removeFirst = client.addMethod("m", () => "first");
  client.addMethod("m", () => "second");
  removeFirst(); // no longer the registered handler: must not remove the second
  socket.reply({ jsonrpc: "2.0", method: "m", id: "s:1" });
  assert.equal((await socket.next()).result, "second");
  assert.equal(client.removeMethod("m"), true);
  assert.equal(client.removeMethod("m"), false);
  socket.reply({ jsonrpc: "2.0", method: "m", id: "s:2" });
  assert.equal((await socket.next()).error.code, -32601);
  const remove = client.addMethod("n", () => 1);
  remove();
  socket.reply({ jsonrpc: "2.0", method: "n", id: "s:3" });
  assert.equal((await socket.next()).error.code, -32601);
  await client.close();
});

test("a server request with id null is never answered (no id null on the wire)", async () => {
  const { client, socket } = await connected();
  client.addMethod("m", () => 1);
  socket.reply({ jsonrpc: "2.0", method: "m", id: null });
  await settle();
  assert.equal(socket.unread, 0);
  await client.close();
});

test("$/cancelRequest from the server aborts the handler's signal", async () => {
  const { client, socket } = await connected();
  let began;
  const running = new Promise((resolve) => (began = resolve));
  client.addMethod("long", (params, { signal }) => {
    began();
    return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
  });
  socket.reply({ jsonrpc: "2.0", method: "long", id: "s:9" });
  await running;
  socket.reply({ jsonrpc: "2.0", method: "$/cancelRequest", params: { id: "s:9" } });
  // The handler's own rejection (with the abort reason) is answered like any other failure.
  assert.equal((await socket.next()).error.code, -32603);
  await client.close();
});

test("a notification fires the notification event and, when no topic matches, the method of that name", async () => {
  const { client, socket } = await connected();
  const events = [];
  client.addEventListener("notification", (e) => events.push(e.detail));
  const calls = [];
  client.addMethod("refresh", (params, { id }) => calls.push({ params, id }));
  socket.reply({ jsonrpc: "2.0", method: "refresh", params: { all: true } });
  socket.reply({ jsonrpc: "2.0", method: "unknown" });
  assert.deepEqual(events, [
    { method: "refresh", params: { all: true } },
    { method: "unknown", params: undefined },
  ]);
  assert.deepEqual(calls, [{ params: { all: true }, id: undefined }]);
  await settle();
  assert.equal(socket.unread, 0, "notifications are never answered");
  await client.close();
});

test("a subscribed topic's notification goes to its callbacks, not the method of that name", async () => {
  const { client, socket } = await connected();
  const viaMethod = [];
  const viaTopic = [];
  client.addMethod("news", (params) => viaMethod.push(params));
  const subscribing = client.subscribe("news", (data) => viaTopic.push(data));
  await socket.answer("subscribe", ["news"]);
  await subscribing;
  socket.reply({ jsonrpc: "2.0", method: "news", params: 1 });
  assert.deepEqual(viaTopic, [1]);
  assert.deepEqual(viaMethod, []);
  await client.close();
});
