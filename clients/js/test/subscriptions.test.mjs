import { test } from "node:test";
import assert from "node:assert/strict";
import { RpcError } from "../actorrpc.js";
import { connected, settle } from "../test-support/fakes.mjs";

test("subscribe resolves only after the server confirms, and the callback gets each notification", async () => {
  const { client, socket } = await connected();
  const received = [];
  let resolved = false;
  const subscribing = client.subscribe("news", (data, topic) => received.push({ data, topic })).then((s) => {
    resolved = true;
    return s;
  });
  const request = await socket.next();
  assert.deepEqual(request, { jsonrpc: "2.0", method: "subscribe", params: ["news"], id: request.id });
  await settle();
  assert.equal(resolved, false, "subscribe must wait for the server's answer");
  socket.reply({ jsonrpc: "2.0", id: request.id, result: ["news"] });
  const subscription = await subscribing;
  assert.equal(subscription.topic, "news");
  assert.equal(subscription.active, true);
  socket.reply({ jsonrpc: "2.0", method: "news", params: { headline: "a" } });
  socket.reply({ jsonrpc: "2.0", method: "news", params: ["b"] });
  assert.deepEqual(received, [
    { data: { headline: "a" }, topic: "news" },
    { data: ["b"], topic: "news" },
  ]);
  await client.close();
});

test("a retained topic's state sent right after the answer reaches the callback", async () => {
  const { client, socket } = await connected();
  const received = [];
  const subscribing = client.subscribe("clock", (data) => received.push(data));
  const { id } = await socket.next();
  // Same frame order as the server: the answer, then the retained state, back to back.
  socket.reply({ jsonrpc: "2.0", id, result: ["clock"] });
  socket.reply({ jsonrpc: "2.0", method: "clock", params: { now: "12:00" } });
  await subscribing;
  assert.deepEqual(received, [{ now: "12:00" }]);
  await client.close();
});

test("a refused subscribe rejects with the RpcError and leaves no callback behind", async () => {
  const { client, socket } = await connected();
  const received = [];
  const subscribing = client.subscribe("admin", (data) => received.push(data));
  const { id } = await socket.next();
  socket.reply({ jsonrpc: "2.0", id, error: { code: -32011, message: "Forbidden" } });
  await assert.rejects(subscribing, (e) => e instanceof RpcError && e.code === -32011);
  socket.reply({ jsonrpc: "2.0", method: "admin", params: { secret: 1 } });
  assert.deepEqual(received, []);
  await client.close();
});

test("unsubscribe stops the callback and unsubscribes at the server", async () => {
  const { client, socket } = await connected();
  const received = [];
  const subscribing = client.subscribe("news", (data) => received.push(data));
  await socket.answer("subscribe", ["news"]);
  const subscription = await subscribing;
  const unsubscribing = subscription.unsubscribe();
  assert.equal(subscription.active, false);
  const request = await socket.next();
  assert.deepEqual(request, { jsonrpc: "2.0", method: "unsubscribe", params: ["news"], id: request.id });
  socket.reply({ jsonrpc: "2.0", id: request.id, result: [] });
  await unsubscribing;
  socket.reply({ jsonrpc: "2.0", method: "news", params: "late" });
  assert.deepEqual(received, []);
  await subscription.unsubscribe(); // a second time does nothing
  await settle();
  assert.equal(socket.unread, 0);
  await client.close();
});

test("a refused unsubscribe keeps the subscription live, and a second unsubscribe asks the server again", async () => {
  const { client, socket } = await connected();
  const received = [];
  const subscribing = client.subscribe("news", (data) => received.push(data));
  await socket.answer("subscribe", ["news"]);
  const subscription = await subscribing;
  const refused = subscription.unsubscribe();
  const first = await socket.next();
  socket.reply({ jsonrpc: "2.0", id: first.id, error: { code: -32000, message: "Server busy" } });
  await assert.rejects(refused, (e) => e instanceof RpcError && e.code === -32000);
  assert.equal(subscription.active, true);
  socket.reply({ jsonrpc: "2.0", method: "news", params: ["still subscribed"] });
  assert.deepEqual(received, [["still subscribed"]]);
  const again = subscription.unsubscribe();
  const second = await socket.next();
  assert.deepEqual(second, { jsonrpc: "2.0", method: "unsubscribe", params: ["news"], id: second.id });
  socket.reply({ jsonrpc: "2.0", id: second.id, result: [] });
  await again;
  assert.equal(subscription.active, false);
  await client.close();
});

test("two subscriptions to one topic: both get data; only the last unsubscribe reaches the server", async () => {
  const { client, socket } = await connected();
  const a = [];
  const b = [];
  const first = client.subscribe("news", (data) => a.push(data));
  await socket.answer("subscribe", ["news"]);
  const second = client.subscribe("news", (data) => b.push(data));
  await socket.answer("subscribe", ["news"]);
  const [subA, subB] = await Promise.all([first, second]);
  socket.reply({ jsonrpc: "2.0", method: "news", params: 1 });
  assert.deepEqual([a, b], [[1], [1]]);
  await subA.unsubscribe();
  await settle();
  assert.equal(socket.unread, 0, "the topic still has a subscription");
  socket.reply({ jsonrpc: "2.0", method: "news", params: 2 });
  assert.deepEqual([a, b], [[1], [1, 2]]);
  const last = subB.unsubscribe();
  await socket.answer("unsubscribe", []);
  await last;
  await client.close();
});

test("a callback that throws does not stop the others or the client", async () => {
  const { client, socket } = await connected();
  const received = [];
  const errors = [];
  const reportError = globalThis.reportError;
  globalThis.reportError = (error) => errors.push(error);
  try {
    const first = client.subscribe("news", () => {
      throw new Error("boom");
    });
    await socket.answer("subscribe", ["news"]);
    await first;
    const second = client.subscribe("news", (data) => received.push(data));
    await socket.answer("subscribe", ["news"]);
    await second;
    socket.reply({ jsonrpc: "2.0", method: "news", params: "x" });
    assert.deepEqual(received, ["x"]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].message, "boom");
  } finally {
    globalThis.reportError = reportError;
  }
  await client.close();
});

test("subscribe checks its arguments", async () => {
  const { client } = await connected();
  await assert.rejects(client.subscribe("", () => {}), TypeError);
  await assert.rejects(client.subscribe("news"), TypeError);
  await client.close();
});
