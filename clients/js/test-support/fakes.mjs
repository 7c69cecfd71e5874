// Test doubles for the client's unit tests: an in-memory WebSocket driven by the test (the "server" side)
// and a manual scheduler, so reconnects and timeouts happen exactly when a test says so.

import { ActorRpcClient } from "../actorrpc.js";

/** Resolves the next time `push` is called (or at once for items already pushed). */
class AsyncQueue {
  #items = [];
  #takers = [];

  push(item) {
    const taker = this.#takers.shift();
    if (taker) taker(item);
    else this.#items.push(item);
  }

  take() {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift());
    return new Promise((resolve) => this.#takers.push(resolve));
  }

  get size() {
    return this.#items.length;
  }
}

/** One connection as the server sees it; the client holds it as its WebSocket. */
export class FakeSocket extends EventTarget {
  readyState = 0;
  binaryType = "blob";
  #sent = new AsyncQueue();
  /** Every frame the client sent, parsed, in order. */
  log = [];

  constructor(url, protocols) {
    super();
    this.url = url;
    this.protocols = protocols;
  }

  // ---- the WebSocket surface the client uses ----

  send(text) {
    if (this.readyState !== 1) throw new Error("InvalidStateError: not open");
    if (typeof text !== "string") throw new TypeError("The client sends text frames only");
    const message = JSON.parse(text);
    this.log.push(message);
    this.#sent.push(message);
  }

  close(code = 1000, reason = "") {
    // As browsers do: a close reason longer than 123 bytes of UTF-8 is a SyntaxError.
    if (new TextEncoder().encode(reason).byteLength > 123) throw new DOMException("The close reason is too long", "SyntaxError");
    if (this.readyState >= 2) return;
    this.readyState = 2;
    this.closedBy = { code, reason };
    // As in browsers, the close event comes later, never inside close().
    queueMicrotask(() => this.#finish(code, reason));
  }

  // ---- the server's side ----

  /** Completes the opening handshake. */
  accept() {
    this.readyState = 1;
    this.dispatchEvent(new Event("open"));
  }

  /** The connection ends from the server's side (or the network). */
  drop(code = 1006, reason = "") {
    if (this.readyState === 3) return;
    this.#finish(code, reason);
  }

  /** An "error" alone, without "close" after it: what Node 20's experimental WebSocket does when it cannot connect. */
  error() {
    this.dispatchEvent(new Event("error"));
  }

  /** Delivers a frame as is (string, Buffer, ArrayBuffer, ...). */
  deliver(data) {
    const event = new Event("message");
    event.data = data;
    this.dispatchEvent(event);
  }

  /** Delivers a JSON value as a text frame. */
  reply(value) {
    this.deliver(JSON.stringify(value));
  }

  /** The next message the client sent (waits for it). */
  next() {
    return this.#sent.take();
  }

  /** Answers the next request with `result`, checking its method; returns the request. */
  async answer(method, result) {
    const request = await this.next();
    if (request.method !== method) throw new Error(`expected a call to ${method}, got ${JSON.stringify(request)}`);
    this.reply({ jsonrpc: "2.0", id: request.id, result });
    return request;
  }

  /** How many sent messages no test has taken yet. */
  get unread() {
    return this.#sent.size;
  }

  #finish(code, reason) {
    this.readyState = 3;
    const event = new Event("close");
    event.code = code;
    event.reason = reason;
    this.dispatchEvent(event);
  }
}

/** Hands out the WebSocket class the client constructs, and every socket it made. */
export class FakeServer {
  #connections = new AsyncQueue();
  sockets = [];

  constructor() {
    const server = this;
    this.WebSocket = class extends FakeSocket {
      constructor(url, protocols) {
        super(url, protocols);
        server.sockets.push(this);
        server.#connections.push(this);
      }
    };
  }

  /** The next socket the client opens (waits for it). */
  nextSocket() {
    return this.#connections.take();
  }
}

/** Timers that fire only when a test says so, and a clock that moves only when a test says so. */
export class ManualScheduler {
  #next = 1;
  #created = new AsyncQueue();
  /** @type {Map<number, {callback: () => void, ms: number}>} */
  timers = new Map();
  /** The clock, in ms; see `advance`. */
  time = 0;

  setTimeout = (callback, ms) => {
    const handle = this.#next++;
    this.timers.set(handle, { callback, ms });
    this.#created.push({ handle, ms });
    return handle;
  };

  clearTimeout = (handle) => {
    this.timers.delete(handle);
  };

  now = () => this.time;

  /** Moves the clock on (firing nothing). */
  advance(ms) {
    this.time += ms;
  }

  /**
   * The next timer created that is still pending when it is taken (waits for it). Timers already cleared are
   * skipped: a handshake's timeout or close()'s wait that ended on its own is no business of the test.
   * @param {number} [ms] Only a timer of this duration (others are skipped too).
   */
  async nextTimer(ms) {
    for (;;) {
      const timer = await this.#created.take();
      // Let the client finish what it is doing first: a timer it is about to clear is not pending.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.timers.has(timer.handle) && (ms === undefined || timer.ms === ms)) return timer;
    }
  }

  /** Fires a timer, if it is still pending; returns whether it fired. */
  fire(handle) {
    const timer = this.timers.get(handle);
    if (!timer) return false;
    this.timers.delete(handle);
    timer.callback();
    return true;
  }
}

export const URL = "ws://server.test/rpc";

/**
 * Connects a client to a fresh fake server; any handshake is the test's to answer through `handshake`.
 * @param {object} [options] Client options (timeout 0 and a manual scheduler unless given).
 * @param {(socket: FakeSocket) => Promise<void>} [handshake] The server's part after accepting.
 */
export async function connected(options = {}, handshake = async () => {}) {
  const server = new FakeServer();
  const scheduler = options.scheduler ?? new ManualScheduler();
  const connecting = ActorRpcClient.connect(options.url ?? URL, {
    WebSocket: server.WebSocket,
    timeout: 0,
    scheduler,
    random: () => 0.5,
    ...options,
  });
  const socket = await server.nextSocket();
  socket.accept();
  await handshake(socket);
  const client = await connecting;
  return { client, server, socket, scheduler };
}

/** Resolves with the next event of that type, with its detail. */
export function nextEvent(target, type) {
  return new Promise((resolve) => target.addEventListener(type, (event) => resolve(event.detail), { once: true }));
}

/** Lets pending promise callbacks run (microtasks and one macrotask turn), to observe that nothing happened. */
export function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Lets the client's pending reconnect timer fire and accepts the socket it opens.
 * @param {FakeServer} server
 * @param {ManualScheduler} scheduler
 */
export async function reconnectAttempt(server, scheduler) {
  scheduler.fire((await scheduler.nextTimer()).handle);
  const socket = await server.nextSocket();
  socket.accept();
  return socket;
}
