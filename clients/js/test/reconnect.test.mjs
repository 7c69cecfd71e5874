import { test } from "node:test";
import assert from "node:assert/strict";
import { ConnectionLostError, TimeoutError } from "../actorrpc.js";
import { connected, ManualScheduler, nextEvent, settle, reconnectAttempt } from "../test-support/fakes.mjs";

/** Records the client's events in order. */
function recordEvents(client) {
  const events = [];
  for (const type of ["open", "reconnecting", "reconnected", "closed"]) {
    client.addEventListener(type, (e) => events.push({ type, detail: e.detail }));
  }
  return events;
}

test("a dropped connection reconnects with jittered exponential backoff, never below initialDelay/2, capped at maxDelay", async () => {
  const randoms = [0.5, 0.5, 0.25, 0.999, 0.5];
  const { client, server, socket, scheduler } = await connected({
    reconnect: { initialDelay: 100, maxDelay: 300 },
    random: () => randoms.shift(),
  });
  const events = recordEvents(client);
  const pending = client.call("in flight");
  await socket.next();
  socket.drop(1012, "restart");
  await assert.rejects(pending, ConnectionLostError); // at once, not after the reconnect
  assert.equal(client.state, "reconnecting");

  // Ceiling per attempt: 100, 200, 400→300 (capped), 300, ...; delay = ceil(50 + random · (ceiling − 50)).
  const expected = [75, 125, 113, 300];
  for (const [index, delay] of expected.entries()) {
    const timer = await scheduler.nextTimer();
    assert.equal(timer.ms, delay, `attempt ${index + 1}`);
    scheduler.fire(timer.handle);
    const attempt = await server.nextSocket();
    // The server is still down: a close event, or (Node 20's WebSocket) an error alone.
    if (index < expected.length - 1) index % 2 === 0 ? attempt.drop(1006) : attempt.error();
    else attempt.accept();
  }
  await nextEvent(client, "reconnected");
  assert.equal(client.state, "open");
  assert.deepEqual(
    events.filter((e) => e.type === "reconnecting").map((e) => [e.detail.attempt, e.detail.delay]),
    [[1, 75], [2, 125], [3, 113], [4, 300]],
  );
  assert.ok(events[0].detail.error instanceof ConnectionLostError);
  assert.deepEqual(events.slice(-2).map((e) => e.type), ["open", "reconnected"]);

  // A later drop, once the connection lasted stableAfter (default 5 s), starts again from the first attempt.
  scheduler.advance(5000);
  const again = nextEvent(client, "reconnecting");
  server.sockets.at(-1).drop(1006);
  assert.equal((await again).attempt, 1);
  await client.close();
});

test("after reconnecting the client authenticates again and re-subscribes every topic in one call, then fires reconnected", async () => {
  const { client, server, socket, scheduler } = await connected({ token: "t1" }, async (s) => {
    await s.answer("authenticate", { name: "ann", expires: "2030-01-01T00:00:00Z" });
  });
  const news = [];
  const clock = [];
  const a = client.subscribe("news", (data) => news.push(data));
  await socket.answer("subscribe", ["news"]);
  const b = client.subscribe("clock", (data) => clock.push(data));
  await socket.answer("subscribe", ["clock", "news"]);
  await Promise.all([a, b]);

  let reconnected = false;
  client.addEventListener("reconnected", () => (reconnected = true));
  socket.drop(1006);
  const second = await reconnectAttempt(server, scheduler);

  const auth = await second.next();
  assert.deepEqual(auth, { jsonrpc: "2.0", method: "authenticate", params: { token: "t1" }, id: auth.id });
  // A call made during the handshake waits for it, though the socket is already open.
  const during = client.call("whoami");
  await settle();
  assert.equal(reconnected, false, "not before the authentication is answered");
  assert.equal(second.unread, 0, "nothing goes out before the handshake is done");
  second.reply({ jsonrpc: "2.0", id: auth.id, result: { name: "ann", expires: "2030-01-01T00:00:00Z" } });

  const resubscribe = await second.next();
  assert.equal(resubscribe.method, "subscribe");
  assert.deepEqual([...resubscribe.params].sort(), ["clock", "news"]);
  await settle();
  assert.equal(reconnected, false, "not before the subscriptions are restored");
  assert.equal(client.state, "reconnecting");
  const done = nextEvent(client, "reconnected");
  second.reply({ jsonrpc: "2.0", id: resubscribe.id, result: ["clock", "news"] });
  second.reply({ jsonrpc: "2.0", method: "clock", params: { retained: true } });
  await done;
  assert.equal(client.state, "open");
  const whoami = await second.next();
  assert.equal(whoami.method, "whoami");
  second.reply({ jsonrpc: "2.0", id: whoami.id, result: "ann" });
  assert.equal(await during, "ann");
  second.reply({ jsonrpc: "2.0", method: "news", params: "fresh" });
  assert.deepEqual(clock, [{ retained: true }]);
  assert.deepEqual(news, ["fresh"]);
  await client.close();
});

test("calls and notifications made while reconnecting wait, then go out after the handshake", async () => {
  const { client, server, socket, scheduler } = await connected();
  const subscribing = client.subscribe("news", () => {});
  await socket.answer("subscribe", ["news"]);
  await subscribing;
  socket.drop(1006);
  const timer = await scheduler.nextTimer();
  const call = client.call("ping");
  const notified = client.notify("hello", ["world"]);
  let sentEarly = false;
  notified.then(() => (sentEarly = client.state !== "open"));
  scheduler.fire(timer.handle);
  const second = await server.nextSocket();
  second.accept();
  // The re-subscribe comes first; the waiting call only once the connection is ready again.
  const resubscribe = await second.next();
  assert.equal(resubscribe.method, "subscribe");
  await settle();
  assert.equal(second.unread, 0, "waiting calls stay queued during the handshake");
  second.reply({ jsonrpc: "2.0", id: resubscribe.id, result: ["news"] });
  const ping = await second.next();
  assert.equal(ping.method, "ping");
  assert.deepEqual(await second.next(), { jsonrpc: "2.0", method: "hello", params: ["world"] });
  second.reply({ jsonrpc: "2.0", id: ping.id, result: "pong" });
  assert.equal(await call, "pong");
  await notified;
  assert.equal(sentEarly, false);
  await client.close();
});

test("a call waiting for the connection is bounded by its own timeout, and cancels nothing it never sent", async () => {
  const { client, server, socket, scheduler } = await connected();
  socket.drop(1006);
  const reconnectTimer = await scheduler.nextTimer();
  const call = client.call("ping", undefined, { timeout: 100 });
  const callTimer = await scheduler.nextTimer();
  assert.equal(callTimer.ms, 100);
  scheduler.fire(callTimer.handle);
  await assert.rejects(call, TimeoutError);
  scheduler.fire(reconnectTimer.handle);
  const second = await server.nextSocket();
  const reconnected = nextEvent(client, "reconnected");
  second.accept();
  await reconnected;
  await settle();
  assert.equal(second.unread, 0, "neither the call nor a cancel for it is sent");
  await client.close();
});

test("close while reconnecting stops reconnecting and rejects waiting calls", async () => {
  const { client, server, socket, scheduler } = await connected();
  socket.drop(1006);
  const timer = await scheduler.nextTimer();
  const waiting = client.call("ping");
  const closed = nextEvent(client, "closed");
  await client.close();
  await assert.rejects(waiting, ConnectionLostError);
  assert.equal((await closed).code, 1000);
  assert.equal(client.state, "closed");
  assert.equal(scheduler.timers.size, 0, "the reconnect timer is cleared");
  assert.equal(scheduler.fire(timer.handle), false);
  await settle();
  assert.equal(server.sockets.length, 1, "no new connection");
});

test("close during a reconnect handshake ends it for good", async () => {
  const { client, server, socket, scheduler } = await connected({ token: "t" }, (s) => s.answer("authenticate", {}));
  socket.drop(1006);
  const second = await reconnectAttempt(server, scheduler);
  await second.next(); // authenticate, never answered
  await client.close();
  assert.equal(client.state, "closed");
  assert.equal(second.readyState, 3);
  await settle();
  assert.equal(scheduler.timers.size, 0);
  assert.equal(server.sockets.length, 2);
});

test("after maxAttempts failed attempts the client closes and rejects waiting calls", async () => {
  const { client, server, socket, scheduler } = await connected({ reconnect: { maxAttempts: 2 } });
  const events = recordEvents(client);
  socket.drop(1006);
  const waiting = client.call("ping");
  for (let attempt = 1; attempt <= 2; attempt++) {
    scheduler.fire((await scheduler.nextTimer()).handle);
    (await server.nextSocket()).drop(1006);
  }
  await assert.rejects(waiting, ConnectionLostError);
  assert.equal(client.state, "closed");
  assert.deepEqual(events.map((e) => e.type), ["reconnecting", "reconnecting", "closed"]);
  assert.equal(events.at(-1).detail.code, 1006);
  assert.equal(scheduler.timers.size, 0);
});

test("reconnect: false closes on the first drop", async () => {
  const { client, scheduler, socket } = await connected({ reconnect: false });
  const closed = nextEvent(client, "closed");
  socket.drop(1001, "going away");
  assert.deepEqual(await closed, { code: 1001, reason: "going away" });
  assert.equal(client.state, "closed");
  assert.equal(scheduler.timers.size, 0);
});

test("a handshake cut short by another drop counts as a failed attempt and is retried", async () => {
  const { client, server, socket, scheduler } = await connected({ token: "t" }, (s) => s.answer("authenticate", {}));
  socket.drop(1006);
  const second = await reconnectAttempt(server, scheduler);
  await second.next(); // authenticate
  second.drop(1006);
  const retry = await nextEvent(client, "reconnecting");
  assert.equal(retry.attempt, 2);
  const third = await reconnectAttempt(server, scheduler);
  const reconnected = nextEvent(client, "reconnected");
  await third.answer("authenticate", {});
  await reconnected;
  assert.equal(client.state, "open");
  await client.close();
});

test("a token refused on reconnect closes the client", async () => {
  const { client, server, socket, scheduler } = await connected({ token: "t" }, (s) => s.answer("authenticate", {}));
  socket.drop(1006);
  const second = await reconnectAttempt(server, scheduler);
  const auth = await second.next();
  const closed = nextEvent(client, "closed");
  second.reply({ jsonrpc: "2.0", id: auth.id, error: { code: -32010, message: "Token expired" } });
  const detail = await closed;
  assert.match(detail.reason, /^Authentication refused: Token expired$/);
  assert.equal(client.state, "closed");
  assert.equal(second.closedBy.code, 1000);
  assert.equal(scheduler.timers.size, 0);
});

test("a token function is asked again on every connection", async () => {
  let asked = 0;
  const { client, server, socket, scheduler } = await connected(
    { token: async () => `token-${++asked}` },
    async (s) => {
      const request = await s.answer("authenticate", {});
      assert.deepEqual(request.params, { token: "token-1" });
    },
  );
  socket.drop(1006);
  const second = await reconnectAttempt(server, scheduler);
  const reconnected = nextEvent(client, "reconnected");
  const request = await second.answer("authenticate", {});
  assert.deepEqual(request.params, { token: "token-2" });
  await reconnected;
  assert.equal(asked, 2);
  await client.close();
});

test("the timers of a drop and reconnect are all cleared at close (no leaks)", async () => {
  const scheduler = new ManualScheduler();
  const { client, server, socket } = await connected({ scheduler, timeout: 500 });
  const call = client.call("a");
  assert.equal((await scheduler.nextTimer()).ms, 500);
  await socket.next();
  socket.drop(1006);
  await assert.rejects(call, ConnectionLostError);
  assert.equal(scheduler.timers.size, 1, "only the reconnect timer");
  scheduler.fire((await scheduler.nextTimer()).handle);
  (await server.nextSocket()).accept();
  await nextEvent(client, "reconnected");
  assert.equal(scheduler.timers.size, 0);
  await client.close();
});

test("a re-subscribe refused on reconnect closes the client and says so", async () => {
  const { client, server, socket, scheduler } = await connected();
  const subscribing = client.subscribe("admin", () => {});
  await socket.answer("subscribe", ["admin"]);
  await subscribing;
  socket.drop(1006);
  const second = await reconnectAttempt(server, scheduler);
  const request = await second.next();
  assert.equal(request.method, "subscribe");
  const closed = nextEvent(client, "closed");
  second.reply({ jsonrpc: "2.0", id: request.id, error: { code: -32011, message: "Forbidden" } });
  assert.match((await closed).reason, /^Re-subscribing refused: Forbidden$/);
  assert.equal(client.state, "closed");
});
