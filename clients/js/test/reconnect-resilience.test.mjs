// Reconnects that must not give up, hang or hammer the server (review of issue 15: J1–J5).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ActorRpcClient, ConnectionLostError, RpcError, TimeoutError } from "../actorrpc.js";
import { connected, FakeServer, ManualScheduler, nextEvent, settle, URL, reconnectAttempt } from "../test-support/fakes.mjs";

/** A client with three confirmed topics; returns their subscriptions and what each got. */
async function subscribedTo(topics, options = {}) {
  const setup = await connected(options);
  const received = Object.fromEntries(topics.map((topic) => [topic, []]));
  const subscriptions = {};
  for (const topic of topics) {
    const subscribing = setup.client.subscribe(topic, (data) => received[topic].push(data));
    await setup.socket.answer("subscribe", [topic]);
    subscriptions[topic] = await subscribing;
  }
  return { ...setup, received, subscriptions };
}

// ---- J1: which refusals end the client ----

for (const code of [-32000, -32029, -32603, -32001]) {
  test(`authenticate refused with ${code} on reconnect is retried with backoff, not the end`, async () => {
    const { client, server, socket, scheduler } = await connected({ token: "t" }, (s) => s.answer("authenticate", {}));
    socket.drop(1006);
    const second = await reconnectAttempt(server, scheduler);
    const auth = await second.next();
    const retry = nextEvent(client, "reconnecting");
    second.reply({ jsonrpc: "2.0", id: auth.id, error: { code, message: "Server busy" } });
    const detail = await retry;
    assert.equal(detail.attempt, 2);
    assert.ok(detail.error instanceof RpcError && detail.error.code === code);
    assert.equal(client.state, "reconnecting");
    assert.equal(second.readyState, 3, "the refused handshake's socket is closed");
    const third = await reconnectAttempt(server, scheduler);
    const reconnected = nextEvent(client, "reconnected");
    await third.answer("authenticate", {});
    await reconnected;
    assert.equal(client.state, "open");
    await client.close();
  });
}

test("a re-subscribe refused with -32000 is retried; -32601 ends the client", async () => {
  const { client, server, socket, scheduler } = await subscribedTo(["news"]);
  socket.drop(1006);
  const second = await reconnectAttempt(server, scheduler);
  const first = await second.next();
  const retry = nextEvent(client, "reconnecting");
  second.reply({ jsonrpc: "2.0", id: first.id, error: { code: -32000, message: "Server busy" } });
  assert.equal((await retry).attempt, 2);
  const third = await reconnectAttempt(server, scheduler);
  const again = await third.next();
  assert.deepEqual(again.params, ["news"]);
  const closed = nextEvent(client, "closed");
  third.reply({ jsonrpc: "2.0", id: again.id, error: { code: -32601, message: "Method not found" } });
  assert.equal((await closed).reason, "Re-subscribing refused: Method not found");
  assert.equal(client.state, "closed");
});

test("authenticate refused with -32011 on reconnect ends the client", async () => {
  const { client, server, socket, scheduler } = await connected({ token: "t" }, (s) => s.answer("authenticate", {}));
  socket.drop(1006);
  const second = await reconnectAttempt(server, scheduler);
  const auth = await second.next();
  const closed = nextEvent(client, "closed");
  second.reply({ jsonrpc: "2.0", id: auth.id, error: { code: -32011, message: "Not permitted" } });
  assert.equal((await closed).reason, "Authentication refused: Not permitted");
  assert.equal(scheduler.timers.size, 0);
});

// ---- J2: only confirmed topics are re-subscribed; refused ones are dropped, not fatal ----

test("a subscribe still pending when the socket drops fails on its own and is not re-subscribed", async () => {
  const { client, server, socket, scheduler } = await subscribedTo(["news"]);
  const admin = client.subscribe("admin", () => {});
  assert.deepEqual((await socket.next()).params, ["admin"]);
  socket.drop(1006);
  await assert.rejects(admin, ConnectionLostError);
  const second = await reconnectAttempt(server, scheduler);
  const resubscribe = await second.next();
  assert.deepEqual(resubscribe.params, ["news"]);
  const reconnected = nextEvent(client, "reconnected");
  second.reply({ jsonrpc: "2.0", id: resubscribe.id, result: ["news"] });
  await reconnected;
  await client.close();
});

test("a subscribe made while reconnecting goes out on its own after the handshake; its refusal leaves the client open", async () => {
  const { client, server, socket, scheduler, received } = await subscribedTo(["news"]);
  socket.drop(1006);
  await settle();
  const admin = client.subscribe("admin", () => {});
  const second = await reconnectAttempt(server, scheduler);
  const resubscribe = await second.next();
  assert.deepEqual(resubscribe.params, ["news"], "the unconfirmed topic stays out of the handshake");
  second.reply({ jsonrpc: "2.0", id: resubscribe.id, result: ["news"] });
  const own = await second.next();
  assert.deepEqual(own.params, ["admin"]);
  second.reply({ jsonrpc: "2.0", id: own.id, error: { code: -32011, message: "Not permitted" } });
  await assert.rejects(admin, (e) => e instanceof RpcError && e.code === -32011);
  assert.equal(client.state, "open");
  second.reply({ jsonrpc: "2.0", method: "news", params: 1 });
  assert.deepEqual(received.news, [1]);

  // Refused, it is not re-subscribed on the next reconnect either.
  second.drop(1006);
  const third = await reconnectAttempt(server, scheduler);
  assert.deepEqual((await third.next()).params, ["news"]);
  await client.close();
});

test("a re-subscribe refused with -32602 falls back to one subscribe per topic and drops only the refused ones", async () => {
  const { client, server, socket, scheduler, received, subscriptions } = await subscribedTo(["a", "b", "c"]);
  const lost = [];
  client.addEventListener("subscriptionlost", (e) => lost.push(e.detail));
  socket.drop(1006);
  const second = await reconnectAttempt(server, scheduler);
  const all = await second.next();
  assert.deepEqual(all.params, ["a", "b", "c"]);
  const refusal = { code: -32602, message: "Unknown topic: b" };
  second.reply({ jsonrpc: "2.0", id: all.id, error: refusal });
  await second.answer("subscribe", ["a"]);
  const b = await second.next();
  assert.deepEqual(b.params, ["b"]);
  second.reply({ jsonrpc: "2.0", id: b.id, error: refusal });
  const reconnected = nextEvent(client, "reconnected");
  const c = await second.answer("subscribe", ["c"]);
  assert.deepEqual(c.params, ["c"]);
  await reconnected;
  assert.equal(client.state, "open");
  assert.equal(lost.length, 1);
  assert.equal(lost[0].topic, "b");
  assert.ok(lost[0].error instanceof RpcError && lost[0].error.code === -32602);
  assert.deepEqual(
    Object.values(subscriptions).map((s) => s.active),
    [true, false, true],
  );
  for (const topic of ["a", "b", "c"]) second.reply({ jsonrpc: "2.0", method: topic, params: topic });
  assert.deepEqual(received, { a: ["a"], b: [], c: ["c"] });

  second.drop(1006);
  const third = await reconnectAttempt(server, scheduler);
  assert.deepEqual((await third.next()).params, ["a", "c"]);
  await client.close();
});

test("a single topic refused with -32602 on reconnect is dropped and the client stays open", async () => {
  const { client, server, socket, scheduler, subscriptions } = await subscribedTo(["gone"]);
  socket.drop(1006);
  const second = await reconnectAttempt(server, scheduler);
  const request = await second.next();
  const lost = nextEvent(client, "subscriptionlost");
  const reconnected = nextEvent(client, "reconnected");
  second.reply({ jsonrpc: "2.0", id: request.id, error: { code: -32602, message: "Unknown topic" } });
  assert.equal((await lost).topic, "gone");
  await reconnected;
  assert.equal(subscriptions.gone.active, false);
  await subscriptions.gone.unsubscribe();
  await settle();
  assert.equal(second.unread, 0, "nothing to unsubscribe at the server");
  await client.close();
});

// ---- J3: backoff that holds against a flapping server ----

test("a connection dropped before stableAfter does not reset the backoff", async () => {
  const { client, server, socket, scheduler } = await connected({ reconnect: { initialDelay: 100, maxDelay: 10000, stableAfter: 2000 } });
  let current = socket;
  // Accepted, then dropped at once, again and again: the attempts keep counting and the delays keep growing.
  const rounds = [];
  for (let round = 1; round <= 4; round++) {
    scheduler.advance(1999);
    const next = nextEvent(client, "reconnecting");
    current.drop(1006);
    rounds.push(await next);
    const reconnected = nextEvent(client, "reconnected");
    current = await reconnectAttempt(server, scheduler);
    await reconnected;
  }
  // random 0.5: ceil(50 + 0.5 · (ceiling − 50)) for ceilings 100, 200, 400, 800.
  assert.deepEqual(rounds.map((r) => [r.attempt, r.delay]), [[1, 75], [2, 125], [3, 225], [4, 425]]);
  // Open for stableAfter: the next drop starts over.
  scheduler.advance(2000);
  const fresh = nextEvent(client, "reconnecting");
  current.drop(1006);
  assert.equal((await fresh).attempt, 1);
  await client.close();
});

test("the delay is never 0: the jitter starts at initialDelay/2", async () => {
  const { client, socket } = await connected({ random: () => 0 });
  const reconnecting = nextEvent(client, "reconnecting");
  socket.drop(1006);
  assert.equal((await reconnecting).delay, 250);
  await client.close();
});

for (const code of [1008, 1013]) {
  test(`a close ${code} pushes the next attempt back to between initialDelay·2 and initialDelay·4`, async () => {
    const randoms = [0, 0.5];
    const { client, server, socket, scheduler } = await connected({ random: () => randoms.shift() });
    const first = nextEvent(client, "reconnecting");
    socket.drop(code, "Try again later");
    assert.equal((await first).delay, 1000);
    const second = nextEvent(client, "reconnecting");
    scheduler.fire((await scheduler.nextTimer()).handle);
    (await server.nextSocket()).drop(code);
    // Attempt 2: ceil(1000 + 0.5 · (4000 − 1000)); a plain drop would give ceil(250 + 0.5 · 750).
    assert.equal((await second).delay, 2500);
    await client.close();
  });
}

// ---- J4: reconnect options ----

test("invalid reconnect settings and handshakeTimeout reject connect with a TypeError", async () => {
  const server = new FakeServer();
  for (const options of [
    { reconnect: { initialDelay: 0 } },
    { reconnect: { initialDelay: -5 } },
    { reconnect: { initialDelay: NaN } },
    { reconnect: { maxDelay: Infinity } },
    { reconnect: { initialDelay: 2000, maxDelay: 1000 } },
    { reconnect: { maxAttempts: -1 } },
    { reconnect: { maxAttempts: 1.5 } },
    { reconnect: { stableAfter: -1 } },
    { reconnect: "yes" },
    { handshakeTimeout: 0 },
    { handshakeTimeout: Infinity },
  ]) {
    await assert.rejects(ActorRpcClient.connect(URL, { WebSocket: server.WebSocket, ...options }), TypeError, JSON.stringify(options));
  }
  assert.equal(server.sockets.length, 0);
});

test("undefined reconnect settings fall back to the defaults", async () => {
  const { client, socket } = await connected({
    reconnect: { initialDelay: undefined, maxDelay: undefined, maxAttempts: undefined },
    random: () => 0.5,
  });
  const reconnecting = nextEvent(client, "reconnecting");
  socket.drop(1006);
  // Defaults 500 / 30000: ceil(250 + 0.5 · 250).
  assert.equal((await reconnecting).delay, 375);
  await client.close();
});

// ---- J5: nothing waits without a bound ----

test("a reconnect handshake the server never answers times out after handshakeTimeout and is retried, even with timeout 0", async () => {
  const { client, server, socket, scheduler } = await connected(
    { token: "t", timeout: 0, handshakeTimeout: 7000 },
    (s) => s.answer("authenticate", {}),
  );
  socket.drop(1006);
  const second = await reconnectAttempt(server, scheduler);
  await second.next(); // authenticate, never answered
  const retry = nextEvent(client, "reconnecting");
  scheduler.fire((await scheduler.nextTimer(7000)).handle);
  const detail = await retry;
  assert.equal(detail.attempt, 2);
  assert.ok(detail.error instanceof TimeoutError);
  assert.equal(second.readyState, 3);
  await client.close();
});

test("a socket that never opens fails the first connect after handshakeTimeout", async () => {
  const server = new FakeServer();
  const scheduler = new ManualScheduler();
  const connecting = ActorRpcClient.connect(URL, { WebSocket: server.WebSocket, scheduler });
  const socket = await server.nextSocket();
  scheduler.fire((await scheduler.nextTimer(10000)).handle);
  await assert.rejects(connecting, TimeoutError);
  assert.equal(socket.closedBy.code, 1000);
});

test("a slow token function that answers after the handshake timed out makes no socket", async () => {
  let answerToken;
  let asked = 0;
  const { client, server, socket, scheduler } = await connected(
    { token: () => (++asked === 1 ? "first" : new Promise((resolve) => (answerToken = resolve))) },
    (s) => s.answer("authenticate", {}),
  );
  socket.drop(1006);
  scheduler.fire((await scheduler.nextTimer()).handle);
  const retry = nextEvent(client, "reconnecting");
  scheduler.fire((await scheduler.nextTimer(10000)).handle);
  assert.equal((await retry).attempt, 2);
  answerToken("late");
  await settle();
  assert.equal(server.sockets.length, 1, "no socket for a timed-out attempt");
  await client.close();
});

test("notify while reconnecting is bounded by the client's timeout", async () => {
  const { client, server, socket, scheduler } = await connected({ timeout: 1000 });
  socket.drop(1006);
  const reconnectTimer = await scheduler.nextTimer();
  const notified = client.notify("hello");
  scheduler.fire((await scheduler.nextTimer(1000)).handle);
  await assert.rejects(notified, TimeoutError);
  scheduler.fire(reconnectTimer.handle);
  const second = await server.nextSocket();
  const reconnected = nextEvent(client, "reconnected");
  second.accept();
  await reconnected;
  await settle();
  assert.equal(second.unread, 0, "a notification that timed out is never sent");
  await client.close();
});
