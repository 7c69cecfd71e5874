// ActorRpc client for browsers and Node 20+: JSON-RPC 2.0 over one WebSocket, with topic subscriptions,
// server→client calls, call timeouts and cancellation, and reconnects that restore the session.
// One dependency-free ES module on purpose: the server serves this very file at /actorrpc.js.
//
// States (`client.state`):
//   connecting   → open          the first socket opened and passed its handshake (else → closed; connect rejects)
//   open         → reconnecting  the socket dropped; calls sent on it reject at once (reconnect off → closed)
//   reconnecting → open          an attempt after a backoff delay opened a socket and passed its handshake
//   reconnecting → closed        maxAttempts used up, or the server refused the handshake for good (see FINAL_REFUSALS)
//   any          → closed        close()
// The handshake on every connection, bounded by handshakeTimeout: `authenticate` (when a token is set and tokenIn is
// "authenticate"), then one `subscribe` with every topic the server had confirmed. Calls made outside "open" wait in
// a queue until then.

const JSONRPC = "2.0";
const CANCEL_METHOD = "$/cancelRequest";
const SOCKET_OPEN = 1;
const SOCKET_CLOSED = 3;
const CLOSE_NORMAL = 1000;
const CLOSE_ABNORMAL = 1006;
const CLOSE_POLICY_VIOLATION = 1008;
const CLOSE_TRY_AGAIN_LATER = 1013;
/** A close reason may take 123 bytes of UTF-8 (RFC 6455 §5.5: 125 for the control frame, 2 of them the code). */
const MAX_CLOSE_REASON_BYTES = 123;
const SERVER_BUSY = -32000;
const AUTHENTICATION_REQUIRED = -32010;
const NOT_PERMITTED = -32011;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;
const DEFAULT_TIMEOUT = 30000;
const DEFAULT_HANDSHAKE_TIMEOUT = 10000;
const DEFAULT_RECONNECT = Object.freeze({ initialDelay: 500, maxDelay: 30000, maxAttempts: Infinity, stableAfter: 5000 });
/** How long close() waits for the socket to confirm the close before it reports 1006 and resolves anyway. */
const CLOSE_WAIT = 1000;
/** Server→client calls whose handlers may run at once; beyond it the client answers -32000 "Client busy". */
const MAX_SERVER_CALLS = 64;

/**
 * Refusals of a reconnect's handshake step that retrying cannot fix, so the client closes for good. Any other
 * failure (-32000 busy, -32029 rate limited, -32603, a timeout, a drop) is retried with backoff. A re-subscribe
 * refused with -32602 never gets here: the client drops the refused topics and keeps the rest (#resubscribe).
 */
const FINAL_REFUSALS = Object.freeze({
  authenticate: new Set([AUTHENTICATION_REQUIRED, NOT_PERMITTED]),
  subscribe: new Set([AUTHENTICATION_REQUIRED, NOT_PERMITTED, METHOD_NOT_FOUND]),
});

/** Where a subscription keeps its callback, out of the public surface. */
const DELIVER = Symbol("Subscription.deliver");

/** Ends a subscription from the client's side (the server refused its topic on a reconnect). */
const END = Symbol("Subscription.end");

/** Guards the constructor: clients are made by {@link ActorRpcClient.connect} only. */
const CONSTRUCT = Symbol("ActorRpcClient.construct");

/** The timers of the host; replaced by `options.scheduler` in tests. */
const HOST_SCHEDULER = Object.freeze({
  setTimeout: (/** @type {() => void} */ callback, /** @type {number} */ ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (/** @type {any} */ handle) => globalThis.clearTimeout(handle),
  now: () => Date.now(),
});

/** An error the server (or a server→client method handler) answered with: a JSON-RPC error object. */
export class RpcError extends Error {
  /**
   * @param {number} code The JSON-RPC error code, e.g. -32601.
   * @param {string} message The error's message.
   * @param {unknown} [data] The error's optional `data` member.
   */
  constructor(code, message, data) {
    super(message);
    /** @type {"RpcError"} */
    this.name = "RpcError";
    /** The JSON-RPC error code. */
    this.code = code;
    /** The error's `data` member, `undefined` when the server sent none. */
    this.data = data;
  }
}

/** The connection closed (or could not be made) before a call was answered. */
export class ConnectionLostError extends Error {
  /** @param {string} [message] */
  constructor(message = "The connection to the server was lost") {
    super(message);
    /** @type {"ConnectionLostError"} */
    this.name = "ConnectionLostError";
  }
}

/** A call got no answer within its timeout; the client asked the server to cancel it. */
export class TimeoutError extends Error {
  /**
   * @param {string} method The method that was called.
   * @param {number} timeout The timeout in milliseconds.
   */
  constructor(method, timeout) {
    super(`The call to "${method}" got no answer within ${timeout} ms`);
    /** @type {"TimeoutError"} */
    this.name = "TimeoutError";
    /** The method that was called. */
    this.method = method;
    /** The timeout in milliseconds. */
    this.timeout = timeout;
  }
}

/** A live subscription to one topic; made by {@link ActorRpcClient#subscribe}. */
class Subscription {
  #topic;
  #release;
  #active = true;

  /**
   * @param {string} topic
   * @param {(data: unknown, topic: string) => void} callback
   * @param {(subscription: Subscription) => Promise<void>} release Removes it from the client.
   */
  constructor(topic, callback, release) {
    this.#topic = topic;
    this[DELIVER] = callback;
    this.#release = release;
  }

  /** The topic's name. */
  get topic() {
    return this.#topic;
  }

  /** Whether notifications still reach the callback. */
  get active() {
    return this.#active;
  }

  /**
   * Stops the callback; unsubscribes at the server when it was the topic's last subscription.
   * Calling it again does nothing. When the server refuses the unsubscribe (it still sends), the
   * subscription stays active and the promise rejects with the server's error, so it can be tried again.
   * @returns {Promise<void>}
   */
  async unsubscribe() {
    if (!this.#active) return;
    this.#active = false;
    try {
      await this.#release(this);
    } catch (error) {
      this.#active = true;
      throw error;
    }
  }

  /** Marks it inactive; the client has already let go of it. */
  [END]() {
    this.#active = false;
  }
}

/**
 * A JSON-RPC 2.0 client for an ActorRpc node over WebSocket. Make one with {@link ActorRpcClient.connect}.
 *
 * Events: "open" (each time the connection is ready, after its handshake), "reconnecting"
 * (detail `{attempt, delay, error}`), "reconnected", "closed" (detail `{code, reason}`), "notification"
 * (detail `{method, params}`, every server notification but `$/cancelRequest`), "servercall" (detail
 * `{method, params, id}`, before a server→client request is handled) and "subscriptionlost" (detail
 * `{topic, error}`, a reconnect's re-subscribe was refused for that topic, whose subscriptions are now inactive).
 */
export class ActorRpcClient extends EventTarget {
  /** @type {string} */ #url;
  /** @type {ReturnType<typeof normalizeOptions>} */ #options;
  /** @type {string | (() => string | Promise<string>) | undefined} */ #token;
  /** @type {"connecting" | "open" | "reconnecting" | "closed"} */ #state = "connecting";
  /** @type {WebSocket | null} The current socket, set from its creation on. */ #socket = null;
  /** @type {(() => void) | null} Detaches the current socket's listeners. */ #detach = null;
  #nextId = 1;
  /** @type {Map<number, PendingCall>} Calls not yet answered, in id order; `socket` null = queued. */
  #calls = new Map();
  /** @type {Set<{resolve: () => void, reject: (error: Error) => void}>} Notifications waiting for "open". */
  #waiters = new Set();
  /** @type {Map<string, Set<Subscription>>} Live subscriptions by topic. */
  #topics = new Map();
  /** @type {Set<string>} Topics the server confirmed, with live subscriptions: what a reconnect re-subscribes. */
  #confirmed = new Set();
  /** @type {Map<string, MethodHandler>} Methods the server may call. */
  #methods = new Map();
  /** @type {Map<string | number, AbortController>} Server→client calls in flight. */
  #serverCalls = new Map();
  /** Failed reconnect attempts in a row; reset by a connection that stayed open for `stableAfter`. */
  #attempt = 0;
  /** When the current connection became open, by the scheduler's clock. */
  #openedAt = 0;
  /** @type {number | null} The close code of the last socket that closed since the current attempt began. */
  #closeCode = null;
  /** Whether a bad frame was already reported: a flood of them warns once. */
  #warned = false;
  /** @type {unknown} */ #reconnectTimer = null;
  /** @type {Promise<void> | null} */ #closing = null;
  /** @type {"authenticate" | "subscribe"} The handshake's last step, to say which one the server refused. */
  #handshakeStep = "authenticate";

  /**
   * Not for direct use: call {@link ActorRpcClient.connect}.
   * @param {string} url
   * @param {ConnectOptions} options
   * @param {symbol} key
   */
  constructor(url, options, key) {
    if (key !== CONSTRUCT) throw new TypeError("Use ActorRpcClient.connect(url, options) to make a client");
    super();
    if (typeof url !== "string" || url === "") throw new TypeError("url must be a non-empty string");
    this.#url = url;
    this.#options = normalizeOptions(options);
    this.#token = options?.token;
  }

  /**
   * Opens a connection and, when a token is given, authenticates.
   * @param {string} url The WebSocket URL, e.g. `wss://example.com/rpc`.
   * @param {ConnectOptions} [options]
   * @returns {Promise<ActorRpcClient>} Resolves once the connection is open (and authenticated).
   *   Rejects with a {@link ConnectionLostError} when the socket cannot be opened, or with the server's
   *   {@link RpcError} when it refuses the token; no reconnect is tried for a first connection.
   */
  static async connect(url, options = {}) {
    const client = new ActorRpcClient(url, options, CONSTRUCT);
    await client.#start();
    return client;
  }

  /** The URL given to {@link ActorRpcClient.connect} (without any access token). */
  get url() {
    return this.#url;
  }

  /** @returns {"connecting" | "open" | "reconnecting" | "closed"} */
  get state() {
    return this.#state;
  }

  /**
   * Calls a method and resolves with its result.
   * @param {string} method
   * @param {unknown[] | Record<string, unknown>} [params] An array (positional) or object (named).
   * @param {CallOptions} [options] `timeout` in ms (0 = none; default the client's), `signal` to cancel.
   * @returns {Promise<any>} Rejects with {@link RpcError}, {@link TimeoutError}, {@link ConnectionLostError},
   *   or the signal's reason when aborted.
   */
  call(method, params, options = {}) {
    return this.#request(method, params, options, null);
  }

  /**
   * Sends a notification (no answer). Waits for the connection while reconnecting, at most the client's
   * `timeout` (with `timeout: 0`, until the connection is open or the client closed).
   * @param {string} method
   * @param {unknown[] | Record<string, unknown>} [params]
   * @returns {Promise<void>} Resolves once sent; rejects with {@link ConnectionLostError} once closed, or
   *   {@link TimeoutError} when the wait ran out (then it is never sent).
   */
  async notify(method, params) {
    const text = serializeRequest(method, params, undefined);
    await this.#whenOpen(method);
    this.#transmit(/** @type {WebSocket} */ (this.#socket), text);
  }

  /**
   * Subscribes to a topic. The callback is in place before the server's answer, so a retained topic's
   * state (sent right after the answer) reaches it.
   * @param {string} topic A concrete topic name, e.g. `"clock"`.
   * @param {(data: any, topic: string) => void} callback Gets each notification's params.
   * @returns {Promise<Subscription>} Resolves once the server confirmed; rejects with its error otherwise.
   */
  async subscribe(topic, callback) {
    if (typeof topic !== "string" || topic === "") throw new TypeError("topic must be a non-empty string");
    if (typeof callback !== "function") throw new TypeError("callback must be a function");
    const subscription = new Subscription(topic, callback, (s) => this.#release(s));
    let subscribers = this.#topics.get(topic);
    if (!subscribers) this.#topics.set(topic, (subscribers = new Set()));
    subscribers.add(subscription);
    try {
      await this.call("subscribe", [topic]);
    } catch (error) {
      this.#forget(subscription);
      throw error;
    }
    // Only now may a reconnect re-subscribe it: an unconfirmed topic is the business of its own call.
    if (subscription.active) this.#confirmed.add(topic);
    return subscription;
  }

  /**
   * Registers a method the server may call on this client. A second registration of a name replaces the first.
   * @param {string} name
   * @param {MethodHandler} handler Returns (or resolves with) the result; throw an {@link RpcError} to answer
   *   with its code, message and data. Any other error is answered with -32603 "Internal error".
   * @returns {() => void} Removes this handler (only if it is still the one registered).
   */
  addMethod(name, handler) {
    if (typeof name !== "string" || name === "") throw new TypeError("name must be a non-empty string");
    if (typeof handler !== "function") throw new TypeError("handler must be a function");
    this.#methods.set(name, handler);
    return () => {
      if (this.#methods.get(name) === handler) this.#methods.delete(name);
    };
  }

  /**
   * Removes a method the server may call.
   * @param {string} name
   * @returns {boolean} Whether a method of that name was registered.
   */
  removeMethod(name) {
    return this.#methods.delete(name);
  }

  /**
   * Calls `authenticate` with the token and, once the server accepted it, remembers it for every reconnect;
   * a client made with a token function keeps asking that function on reconnects instead.
   * @param {string} token
   * @returns {Promise<{name: string | null, expires: string | null}>} The server's answer (null: none, never).
   */
  async authenticate(token) {
    if (typeof token !== "string" || token === "") throw new TypeError("token must be a non-empty string");
    const result = await this.call("authenticate", { token });
    if (typeof this.#token !== "function") this.#token = token;
    return result;
  }

  /**
   * Closes the connection for good: no reconnect after it; calls in flight reject with
   * {@link ConnectionLostError}. Calling it again returns the same promise.
   * @returns {Promise<void>} Resolves once the socket closed.
   */
  close() {
    this.#closing ??= this.#shutDown(CLOSE_NORMAL, "Closed by the client");
    return this.#closing;
  }

  // ---- connection life ----

  async #start() {
    try {
      await this.#establish();
    } catch (error) {
      await this.close();
      throw error;
    }
    this.#becomeOpen();
  }

  /**
   * Opens a socket and runs the handshake on it; throws when either fails, or with a {@link TimeoutError} when
   * both together take longer than handshakeTimeout (whoever called it then drops the socket).
   */
  async #establish() {
    this.#closeCode = null;
    const { scheduler, handshakeTimeout } = this.#options;
    const attempt = { timedOut: false };
    let timer;
    const deadline = new Promise((_, reject) => {
      timer = scheduler.setTimeout(() => {
        attempt.timedOut = true;
        reject(new TimeoutError("handshake", handshakeTimeout));
      }, handshakeTimeout);
    });
    try {
      await Promise.race([this.#handshake(attempt), deadline]);
    } finally {
      scheduler.clearTimeout(timer);
    }
  }

  /** @param {{timedOut: boolean}} attempt Set once the attempt's time ran out: it must not make a socket then. */
  async #handshake(attempt) {
    const token = await this.#currentToken();
    if (attempt.timedOut) return;
    const socket = await this.#openSocket(token);
    if (token && this.#options.tokenIn === "authenticate") {
      this.#handshakeStep = "authenticate";
      await this.#request("authenticate", { token }, {}, socket);
    }
    if (this.#confirmed.size > 0) {
      this.#handshakeStep = "subscribe";
      await this.#resubscribe([...this.#confirmed], socket);
    }
  }

  /**
   * Restores the confirmed topics with one `subscribe`. When the server refuses that with -32602 (a topic is no
   * longer declared, say), asks again topic by topic and drops only the topics refused with -32602.
   * @param {string[]} topics
   * @param {WebSocket} socket
   */
  async #resubscribe(topics, socket) {
    try {
      await this.#request("subscribe", topics, {}, socket);
      return;
    } catch (error) {
      if (!isInvalidParams(error)) throw error;
      if (topics.length === 1) {
        this.#dropTopic(topics[0], error);
        return;
      }
    }
    for (const topic of topics) {
      try {
        await this.#request("subscribe", [topic], {}, socket);
      } catch (error) {
        if (!isInvalidParams(error)) throw error;
        this.#dropTopic(topic, error);
      }
    }
  }

  async #currentToken() {
    const token = typeof this.#token === "function" ? await this.#token() : this.#token;
    return token || undefined;
  }

  /**
   * Makes the current socket and resolves once it is open.
   * @param {string | undefined} token
   * @returns {Promise<WebSocket>}
   */
  #openSocket(token) {
    if (this.#state === "closed") return Promise.reject(new ConnectionLostError("The client is closed"));
    const url = token && this.#options.tokenIn === "query" ? withAccessToken(this.#url, token) : this.#url;
    const Socket = this.#options.WebSocket;
    let socket;
    try {
      socket = this.#options.protocols === undefined ? new Socket(url) : new Socket(url, this.#options.protocols);
    } catch (error) {
      // Browsers quote the whole URL in the error, which must not carry the token on into events and logs.
      if (url === this.#url) throw error;
      const safe = new Error(`Could not make a WebSocket for ${this.#url} (the access_token is left out)`);
      safe.name = error instanceof Error ? error.name : "Error";
      throw safe;
    }
    // Binary frames as ArrayBuffer (not Blob) so they decode synchronously and keep their order.
    if ("binaryType" in socket) socket.binaryType = "arraybuffer";
    this.#socket = socket;
    return new Promise((resolve, reject) => {
      const onOpen = () => resolve(socket);
      const onMessage = (/** @type {MessageEvent} */ event) => this.#receive(socket, event.data);
      const onClose = (/** @type {CloseEvent} */ event) => {
        reject(new ConnectionLostError(`The connection closed (${event?.code ?? CLOSE_ABNORMAL})`));
        this.#onSocketClosed(socket, event?.code ?? CLOSE_ABNORMAL, event?.reason ?? "");
      };
      // Browsers and `ws` follow an "error" with "close", which does the work. Node 20's experimental
      // WebSocket does not when the connection cannot be made, so an error before "open" ends it here.
      const onError = () => {
        if (socket.readyState === SOCKET_OPEN) return;
        onClose(/** @type {CloseEvent} */ ({ code: CLOSE_ABNORMAL, reason: "The connection could not be made" }));
        closeQuietly(socket, CLOSE_NORMAL, "");
      };
      socket.addEventListener("open", onOpen);
      socket.addEventListener("message", onMessage);
      socket.addEventListener("close", onClose);
      socket.addEventListener("error", onError);
      socket.addEventListener("error", ignore);
      this.#detach = () => {
        socket.removeEventListener("open", onOpen);
        socket.removeEventListener("message", onMessage);
        socket.removeEventListener("close", onClose);
        socket.removeEventListener("error", onError);
      };
    });
  }

  /**
   * @param {WebSocket} socket
   * @param {number} code
   * @param {string} reason
   */
  #onSocketClosed(socket, code, reason) {
    if (socket !== this.#socket) return;
    const wasOpen = this.#state === "open";
    this.#closeCode = code;
    const error = new ConnectionLostError(`The connection closed (${code}${reason ? `: ${reason}` : ""})`);
    this.#dropSocket(error);
    if (this.#closing) return;
    // A drop during a handshake fails that attempt; whoever ran it decides what is next.
    if (!wasOpen) return;
    if (this.#options.reconnect) {
      // Only a connection that lasted starts the backoff over: one the server accepts and drops at once backs off.
      if (this.#now() - this.#openedAt >= this.#options.reconnect.stableAfter) this.#attempt = 0;
      this.#state = "reconnecting";
      this.#scheduleReconnect(error);
    } else {
      this.#closing = this.#shutDown(code, reason);
    }
  }

  /** Forgets the current socket: calls sent on it and server calls from it end at once. */
  #dropSocket(/** @type {Error} */ error) {
    const socket = this.#socket;
    if (!socket) return;
    this.#detach?.();
    this.#detach = null;
    this.#socket = null;
    for (const call of [...this.#calls.values()]) {
      if (call.socket === socket) this.#settle(call, () => call.reject(error));
    }
    for (const controller of this.#serverCalls.values()) controller.abort(error);
    this.#serverCalls.clear();
  }

  #becomeOpen() {
    this.#state = "open";
    this.#openedAt = this.#now();
    for (const call of [...this.#calls.values()]) {
      if (call.socket === null) this.#dispatch(call, /** @type {WebSocket} */ (this.#socket));
    }
    for (const waiter of this.#waiters) waiter.resolve();
    this.#waiters.clear();
    this.dispatchEvent(new CustomEvent("open"));
  }

  #now() {
    return this.#options.scheduler.now?.() ?? Date.now();
  }

  /** @param {unknown} error Why the previous attempt (or connection) failed. */
  #scheduleReconnect(error) {
    const settings = /** @type {ReturnType<typeof normalizeReconnect> & object} */ (this.#options.reconnect);
    this.#attempt += 1;
    if (this.#attempt > settings.maxAttempts) {
      this.#closing = this.#shutDown(CLOSE_ABNORMAL, `Gave up reconnecting after ${settings.maxAttempts} attempts`);
      return;
    }
    // "Policy violation" and "try again later" ask the client to stay away for longer.
    const pushedBack = this.#closeCode === CLOSE_POLICY_VIOLATION || this.#closeCode === CLOSE_TRY_AGAIN_LATER;
    const delay = backoffDelay(this.#attempt, settings, this.#options.random, pushedBack);
    this.dispatchEvent(new CustomEvent("reconnecting", { detail: { attempt: this.#attempt, delay, error } }));
    if (this.#closing) return; // a listener closed the client
    this.#reconnectTimer = this.#options.scheduler.setTimeout(() => this.#reconnect(), delay);
  }

  async #reconnect() {
    this.#reconnectTimer = null;
    try {
      await this.#establish();
    } catch (error) {
      if (this.#closing) return;
      // A handshake that failed on an open socket (token refused, timeout) leaves that socket to close.
      const socket = this.#socket;
      this.#dropSocket(new ConnectionLostError("The handshake failed"));
      if (socket) closeQuietly(socket, CLOSE_NORMAL, "Handshake failed");
      if (error instanceof RpcError && FINAL_REFUSALS[this.#handshakeStep].has(error.code)) {
        // The server refused the token or the topics: retrying the same handshake cannot help.
        const step = this.#handshakeStep === "authenticate" ? "Authentication" : "Re-subscribing";
        this.#closing = this.#shutDown(CLOSE_ABNORMAL, `${step} refused: ${error.message}`);
        return;
      }
      this.#scheduleReconnect(error);
      return;
    }
    if (this.#closing) return;
    this.#becomeOpen();
    this.dispatchEvent(new CustomEvent("reconnected"));
  }

  /**
   * Ends the client: stops reconnecting, rejects everything waiting, closes the socket, fires "closed".
   * @param {number} code
   * @param {string} reason
   */
  async #shutDown(code, reason) {
    const wasClosed = this.#state === "closed";
    this.#state = "closed";
    if (this.#reconnectTimer !== null) {
      this.#options.scheduler.clearTimeout(this.#reconnectTimer);
      this.#reconnectTimer = null;
    }
    const error = new ConnectionLostError("The client is closed");
    const socket = this.#socket;
    const closed = socket ? socketClosed(socket, this.#options.scheduler, { code: CLOSE_ABNORMAL, reason }) : null;
    this.#dropSocket(error);
    for (const call of [...this.#calls.values()]) this.#settle(call, () => call.reject(error));
    for (const waiter of this.#waiters) waiter.reject(error);
    this.#waiters.clear();
    if (socket) closeQuietly(socket, CLOSE_NORMAL, reason);
    const detail = closed ? await closed : { code, reason };
    if (!wasClosed) this.dispatchEvent(new CustomEvent("closed", { detail }));
  }

  // ---- outgoing ----

  /**
   * Sends a request and resolves with its result.
   * @param {string} method
   * @param {unknown} params
   * @param {CallOptions} options
   * @param {WebSocket | null} handshakeSocket Set for the handshake's own calls, which skip the queue.
   */
  #request(method, params, options, handshakeSocket) {
    const signal = options?.signal;
    const timeout = options?.timeout ?? this.#options.timeout;
    if (!Number.isFinite(timeout) || timeout < 0) return Promise.reject(new TypeError("timeout must be a number >= 0"));
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#state === "closed") return Promise.reject(new ConnectionLostError("The client is closed"));
    const id = this.#nextId;
    let text;
    try {
      text = serializeRequest(method, params, id);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#nextId += 1;
    return new Promise((resolve, reject) => {
      /** @type {PendingCall} */
      const call = { id, method, text, resolve, reject, socket: null, timer: null, cleanup: null };
      this.#calls.set(id, call);
      if (timeout > 0) {
        call.timer = this.#options.scheduler.setTimeout(
          () => this.#cancel(call, new TimeoutError(method, timeout)),
          timeout,
        );
      }
      if (signal) {
        const onAbort = () => this.#cancel(call, signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        call.cleanup = () => signal.removeEventListener("abort", onAbort);
      }
      if (handshakeSocket) this.#dispatch(call, handshakeSocket);
      else if (this.#state === "open" && this.#socket) this.#dispatch(call, this.#socket);
    });
  }

  /**
   * @param {PendingCall} call
   * @param {WebSocket} socket
   */
  #dispatch(call, socket) {
    call.socket = socket;
    try {
      this.#transmit(socket, call.text);
    } catch (error) {
      this.#settle(call, () => call.reject(error));
    }
  }

  /** Ends a call the client gave up on and tells the server, if it has it. */
  #cancel(/** @type {PendingCall} */ call, /** @type {unknown} */ reason) {
    if (!this.#calls.has(call.id)) return;
    const socket = call.socket;
    this.#settle(call, () => call.reject(reason));
    if (socket && socket === this.#socket && socket.readyState === SOCKET_OPEN) {
      try {
        this.#transmit(socket, JSON.stringify({ jsonrpc: JSONRPC, method: CANCEL_METHOD, params: { id: call.id } }));
      } catch {
        // The socket is going away; the server drops the call with it.
      }
    }
  }

  /** Removes a call with its timer and abort listener, then settles it. */
  #settle(/** @type {PendingCall} */ call, /** @type {() => void} */ settle) {
    this.#calls.delete(call.id);
    if (call.timer !== null) this.#options.scheduler.clearTimeout(call.timer);
    call.cleanup?.();
    settle();
  }

  /**
   * @param {string} method What waits, for the {@link TimeoutError}.
   * @returns {Promise<void>} Resolves when the client is open, rejects once it is closed or after the client's timeout.
   */
  #whenOpen(method) {
    if (this.#state === "open" && this.#socket) return Promise.resolve();
    if (this.#state === "closed") return Promise.reject(new ConnectionLostError("The client is closed"));
    const { scheduler, timeout } = this.#options;
    return new Promise((resolve, reject) => {
      /** @type {unknown} */
      let timer = null;
      const end = () => {
        this.#waiters.delete(waiter);
        if (timer !== null) scheduler.clearTimeout(timer);
      };
      const waiter = {
        resolve: () => (end(), resolve()),
        reject: (/** @type {Error} */ error) => (end(), reject(error)),
      };
      this.#waiters.add(waiter);
      if (timeout > 0) timer = scheduler.setTimeout(() => waiter.reject(new TimeoutError(method, timeout)), timeout);
    });
  }

  /**
   * @param {WebSocket} socket
   * @param {string} text
   */
  #transmit(socket, text) {
    if (socket.readyState !== SOCKET_OPEN) throw new ConnectionLostError("The connection is not open");
    socket.send(text);
  }

  // ---- incoming ----

  /**
   * @param {WebSocket} socket
   * @param {unknown} data A frame's data: string, ArrayBuffer, a view of one (Node's Buffer), or Buffer fragments.
   */
  #receive(socket, data) {
    let message;
    try {
      message = JSON.parse(decodeFrame(data));
    } catch {
      this.#warnOnce("a message that is not JSON");
      return;
    }
    if (!Array.isArray(message)) {
      this.#handle(socket, message)?.then((answer) => this.#reply(socket, answer));
      return;
    }
    if (message.length === 0) {
      this.#warnOnce("an empty batch");
      return;
    }
    // JSON-RPC 2.0 §6: the requests of a batch are answered together, in one array, once all are done.
    const answers = message.map((item) => this.#handle(socket, item)).filter((answer) => answer !== undefined);
    if (answers.length > 0) Promise.all(answers).then((texts) => this.#reply(socket, `[${texts.join(",")}]`));
  }

  /**
   * @param {WebSocket} socket
   * @param {unknown} message
   * @returns {Promise<string> | undefined} The answer, when the message is a server→client request.
   */
  #handle(socket, message) {
    if (message === null || typeof message !== "object" || Array.isArray(message)) {
      this.#warnOnce("a message that is not a JSON-RPC object");
      return undefined;
    }
    const m = /** @type {Record<string, any>} */ (message);
    if (m.jsonrpc !== JSONRPC) {
      this.#warnOnce('a message without "jsonrpc": "2.0"');
      return undefined;
    }
    if (typeof m.method === "string") {
      if (!("id" in m)) this.#onNotification(m.method, m.params);
      else if (typeof m.id === "string" || typeof m.id === "number") return this.#onServerCall(m.id, m.method, m.params);
      // An id of null (or another type) cannot be answered without breaking JSON-RPC 2.0: ignored.
      return undefined;
    }
    if ("id" in m) this.#onResponse(socket, m);
    return undefined;
  }

  /**
   * Settles the call a response answers: with its result, its error, or -32603 "Invalid response" when it has
   * neither a `result` nor a proper error object.
   * @param {WebSocket} socket
   * @param {Record<string, any>} response
   */
  #onResponse(socket, response) {
    const call = typeof response.id === "number" ? this.#calls.get(response.id) : undefined;
    // Unknown, cancelled or timed-out ids are ignored, and so are answers to calls not sent on this socket.
    if (!call || call.socket !== socket) return;
    if ("error" in response) {
      const error = isErrorObject(response.error)
        ? new RpcError(
            response.error.code,
            typeof response.error.message === "string" ? response.error.message : "Unknown error",
            response.error.data,
          )
        : new RpcError(INTERNAL_ERROR, "Invalid response");
      this.#settle(call, () => call.reject(error));
    } else if ("result" in response) {
      this.#settle(call, () => call.resolve(response.result));
    } else {
      this.#settle(call, () => call.reject(new RpcError(INTERNAL_ERROR, "Invalid response")));
    }
  }

  /** @param {string} what */
  #warnOnce(what) {
    if (this.#warned) return;
    this.#warned = true;
    console.warn(`ActorRpcClient: ignored ${what} (further bad messages are ignored without a warning)`);
  }

  /**
   * @param {string} method
   * @param {unknown} params
   */
  #onNotification(method, params) {
    if (method === CANCEL_METHOD) {
      const id = /** @type {any} */ (params)?.id;
      this.#serverCalls.get(id)?.abort(new DOMException("The server cancelled the call", "AbortError"));
      return;
    }
    this.dispatchEvent(new CustomEvent("notification", { detail: { method, params } }));
    const subscribers = this.#topics.get(method);
    if (subscribers) {
      for (const subscription of [...subscribers]) {
        if (subscription.active) invokeSafely(() => subscription[DELIVER](params, method));
      }
      return;
    }
    const handler = this.#methods.get(method);
    if (handler) {
      const signal = new AbortController().signal;
      invokeSafely(() => Promise.resolve(handler(params, { id: undefined, signal })).catch(report));
    }
  }

  /**
   * Runs a registered method for the server. An id already in flight is answered -32600 (the first call runs on);
   * beyond {@link MAX_SERVER_CALLS} handlers at once, -32000 "Client busy".
   * @param {string | number} id
   * @param {string} method
   * @param {unknown} params
   * @returns {Promise<string>} The serialized response.
   */
  async #onServerCall(id, method, params) {
    if (this.#serverCalls.has(id)) return responseText(id, { error: { code: INVALID_REQUEST, message: "Duplicate id" } });
    if (this.#serverCalls.size >= MAX_SERVER_CALLS) {
      return responseText(id, { error: { code: SERVER_BUSY, message: "Client busy" } });
    }
    this.dispatchEvent(new CustomEvent("servercall", { detail: { method, params, id } }));
    const handler = this.#methods.get(method);
    if (!handler) return responseText(id, { error: { code: METHOD_NOT_FOUND, message: "Method not found" } });
    const controller = new AbortController();
    this.#serverCalls.set(id, controller);
    try {
      const result = await handler(params, { id, signal: controller.signal });
      return responseText(id, { result: result === undefined ? null : result });
    } catch (error) {
      return responseText(id, { error: toErrorObject(error) });
    } finally {
      if (this.#serverCalls.get(id) === controller) this.#serverCalls.delete(id);
    }
  }

  /**
   * Sends an answer to the server on the socket its request came on, if that is still the current one.
   * @param {WebSocket} socket
   * @param {string} text
   */
  #reply(socket, text) {
    if (socket !== this.#socket || socket.readyState !== SOCKET_OPEN) return; // the connection that asked is gone
    try {
      socket.send(text);
    } catch {
      // The socket closed between the check and the send; the server gave up on the call with it.
    }
  }

  // ---- subscriptions ----

  /** @param {Subscription} subscription */
  async #release(subscription) {
    if (!this.#forget(subscription)) return;
    if (this.#state !== "open") return; // the next handshake re-subscribes only live topics
    try {
      await this.call("unsubscribe", [subscription.topic]);
    } catch (error) {
      // Losing the connection ends the server's subscriptions too.
      if (error instanceof ConnectionLostError) return;
      // Otherwise the server may still send: keep delivering, and keep the topic for reconnects.
      this.#restore(subscription);
      throw error;
    }
  }

  /**
   * Takes back a subscription whose unsubscribe the server refused.
   * @param {Subscription} subscription
   */
  #restore(subscription) {
    let subscribers = this.#topics.get(subscription.topic);
    if (!subscribers) this.#topics.set(subscription.topic, (subscribers = new Set()));
    subscribers.add(subscription);
    this.#confirmed.add(subscription.topic);
  }

  /**
   * @param {Subscription} subscription
   * @returns {boolean} Whether it was the topic's last subscription.
   */
  #forget(subscription) {
    const subscribers = this.#topics.get(subscription.topic);
    if (!subscribers?.delete(subscription)) return false;
    if (subscribers.size > 0) return false;
    this.#topics.delete(subscription.topic);
    this.#confirmed.delete(subscription.topic);
    return true;
  }

  /**
   * Lets go of a topic the server refused on a reconnect: its subscriptions become inactive.
   * @param {string} topic
   * @param {RpcError} error
   */
  #dropTopic(topic, error) {
    const subscribers = this.#topics.get(topic) ?? new Set();
    this.#topics.delete(topic);
    this.#confirmed.delete(topic);
    for (const subscription of subscribers) subscription[END]();
    this.dispatchEvent(new CustomEvent("subscriptionlost", { detail: { topic, error } }));
  }
}

// ---- private helpers ----

/**
 * @typedef {object} PendingCall
 * @property {number} id
 * @property {string} method
 * @property {string} text The serialized request.
 * @property {(value: unknown) => void} resolve
 * @property {(reason: unknown) => void} reject
 * @property {WebSocket | null} socket The socket it was sent on; null while queued.
 * @property {unknown} timer
 * @property {(() => void) | null} cleanup Removes the abort listener.
 */

/**
 * @typedef {(params: any, context: {id: string | number | undefined, signal: AbortSignal}) => unknown} MethodHandler
 * @typedef {{initialDelay?: number, maxDelay?: number, maxAttempts?: number, stableAfter?: number}} ReconnectOptions
 * @typedef {{timeout?: number, signal?: AbortSignal}} CallOptions
 * @typedef {object} ConnectOptions
 * @property {string | (() => string | Promise<string>)} [token]
 * @property {"authenticate" | "query"} [tokenIn]
 * @property {any} [WebSocket]
 * @property {number} [timeout]
 * @property {number} [handshakeTimeout]
 * @property {boolean | ReconnectOptions} [reconnect]
 * @property {string | string[]} [protocols]
 * @property {{setTimeout: (callback: () => void, ms: number) => unknown, clearTimeout: (handle: any) => void, now?: () => number}} [scheduler]
 * @property {() => number} [random]
 */

/** @param {ConnectOptions | undefined} options */
function normalizeOptions(options = {}) {
  const WebSocketClass = options.WebSocket ?? globalThis.WebSocket;
  if (typeof WebSocketClass !== "function") {
    throw new TypeError("No WebSocket: pass options.WebSocket (in Node 20, the `ws` package's WebSocket)");
  }
  const tokenIn = options.tokenIn ?? "authenticate";
  if (tokenIn !== "authenticate" && tokenIn !== "query") throw new TypeError('tokenIn must be "authenticate" or "query"');
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  if (!Number.isFinite(timeout) || timeout < 0) throw new TypeError("timeout must be a number >= 0");
  const handshakeTimeout = options.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT;
  if (!isPositive(handshakeTimeout)) throw new TypeError("handshakeTimeout must be a finite number > 0");
  return {
    WebSocket: WebSocketClass,
    tokenIn,
    timeout,
    handshakeTimeout,
    reconnect: normalizeReconnect(options.reconnect),
    protocols: options.protocols,
    scheduler: options.scheduler ?? HOST_SCHEDULER,
    random: options.random ?? Math.random,
  };
}

/**
 * The reconnect settings, defaults filled in (undefined counts as not given); null when reconnecting is off.
 * @param {boolean | ReconnectOptions | undefined} option
 */
function normalizeReconnect(option) {
  if (option === false) return null;
  if (option !== undefined && option !== true && (option === null || typeof option !== "object")) {
    throw new TypeError("reconnect must be a boolean or an object");
  }
  const given = typeof option === "object" ? option : {};
  const settings = {
    initialDelay: given.initialDelay ?? DEFAULT_RECONNECT.initialDelay,
    maxDelay: given.maxDelay ?? DEFAULT_RECONNECT.maxDelay,
    maxAttempts: given.maxAttempts ?? DEFAULT_RECONNECT.maxAttempts,
    stableAfter: given.stableAfter ?? DEFAULT_RECONNECT.stableAfter,
  };
  if (!isPositive(settings.initialDelay)) throw new TypeError("reconnect.initialDelay must be a finite number > 0");
  if (!isPositive(settings.maxDelay) || settings.maxDelay < settings.initialDelay) {
    throw new TypeError("reconnect.maxDelay must be a finite number >= initialDelay");
  }
  if (settings.maxAttempts !== Infinity && !(Number.isInteger(settings.maxAttempts) && settings.maxAttempts >= 0)) {
    throw new TypeError("reconnect.maxAttempts must be an integer >= 0 or Infinity");
  }
  if (!Number.isFinite(settings.stableAfter) || settings.stableAfter < 0) {
    throw new TypeError("reconnect.stableAfter must be a finite number >= 0");
  }
  return Object.freeze(settings);
}

/** @param {unknown} value */
function isPositive(value) {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

/**
 * Exponential backoff with jitter: a random delay between initialDelay/2 and initialDelay·2^(attempt−1), the
 * ceiling capped at maxDelay, so it is never 0. Pushed back (close 1008/1013), between initialDelay·2 and
 * initialDelay·2^(attempt+1), both capped at maxDelay: later, and still spread out.
 * @param {number} attempt 1 for the first retry.
 * @param {{initialDelay: number, maxDelay: number}} settings
 * @param {() => number} random In [0, 1).
 * @param {boolean} pushedBack Whether the server asked the client to stay away for longer.
 */
function backoffDelay(attempt, { initialDelay, maxDelay }, random, pushedBack) {
  const ceiling = Math.min(maxDelay, initialDelay * 2 ** (pushedBack ? attempt + 1 : attempt - 1));
  const floor = pushedBack ? Math.min(maxDelay, initialDelay * 2) : initialDelay / 2;
  return Math.ceil(floor + random() * (ceiling - floor));
}

/**
 * Adds `access_token` to a URL, keeping its query and fragment.
 * @param {string} url
 * @param {string} token
 */
function withAccessToken(url, token) {
  const hash = url.indexOf("#");
  const base = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? "" : url.slice(hash);
  const separator = !base.includes("?") ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&";
  return `${base}${separator}access_token=${encodeURIComponent(token)}${fragment}`;
}

/**
 * Serializes a request (with an id) or a notification (id undefined); throws on invalid arguments.
 * @param {unknown} method
 * @param {unknown} params
 * @param {number | undefined} id
 */
function serializeRequest(method, params, id) {
  if (typeof method !== "string" || method === "") throw new TypeError("method must be a non-empty string");
  if (params !== undefined && (params === null || typeof params !== "object")) {
    throw new TypeError("params must be an array, an object or undefined");
  }
  return JSON.stringify({ jsonrpc: JSONRPC, method, ...(params === undefined ? {} : { params }), ...(id === undefined ? {} : { id }) });
}

const utf8 = new TextDecoder();

/** @param {unknown} data */
function decodeFrame(data) {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return utf8.decode(data);
  if (ArrayBuffer.isView(data)) return utf8.decode(data);
  if (Array.isArray(data)) {
    // `ws` with binaryType "fragments" hands over the frame's pieces.
    const parts = data.map((part) => (ArrayBuffer.isView(part) ? part : new Uint8Array(part)));
    const bytes = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
    let offset = 0;
    for (const part of parts) {
      bytes.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), offset);
      offset += part.byteLength;
    }
    return utf8.decode(bytes);
  }
  throw new TypeError("Unsupported frame data");
}

/**
 * A JSON-RPC response to a server→client request, serialized; a result that cannot be serialized is answered
 * -32603 "Internal error".
 * @param {string | number} id
 * @param {{result: unknown} | {error: {code: number, message: string, data?: unknown}}} answer
 */
function responseText(id, answer) {
  try {
    return JSON.stringify({ jsonrpc: JSONRPC, id, ...answer });
  } catch {
    return JSON.stringify({ jsonrpc: JSONRPC, id, error: { code: INTERNAL_ERROR, message: "Internal error" } });
  }
}

/**
 * Whether a response's `error` is a JSON-RPC error object (an object with a numeric code).
 * @param {unknown} error
 * @returns {error is {code: number, message?: unknown, data?: unknown}}
 */
function isErrorObject(error) {
  return error !== null && typeof error === "object" && typeof (/** @type {any} */ (error).code) === "number";
}

/**
 * @param {unknown} error
 * @returns {error is RpcError} Whether it is the server's -32602 "Invalid params".
 */
function isInvalidParams(error) {
  return error instanceof RpcError && error.code === INVALID_PARAMS;
}

/**
 * The JSON-RPC error object for a handler's failure: an RpcError passes through, anything else stays private.
 * @param {unknown} error
 */
function toErrorObject(error) {
  if (error instanceof RpcError) {
    return { code: error.code, message: error.message, ...(error.data === undefined ? {} : { data: error.data }) };
  }
  return { code: INTERNAL_ERROR, message: "Internal error" };
}

/**
 * Resolves with the socket's close code and reason once it closed, or with `fallback` after {@link CLOSE_WAIT}
 * ms: a peer that never finishes the closing handshake must not hold up close().
 * @param {WebSocket} socket
 * @param {{setTimeout: (callback: () => void, ms: number) => unknown, clearTimeout: (handle: any) => void}} scheduler
 * @param {{code: number, reason: string}} fallback
 * @returns {Promise<{code: number, reason: string}>}
 */
function socketClosed(socket, scheduler, fallback) {
  return new Promise((resolve) => {
    if (socket.readyState === SOCKET_CLOSED) {
      resolve({ code: CLOSE_NORMAL, reason: "" });
      return;
    }
    const finish = (/** @type {{code: number, reason: string}} */ detail) => {
      socket.removeEventListener("close", onClose);
      scheduler.clearTimeout(timer);
      resolve(detail);
    };
    const onClose = (/** @type {CloseEvent} */ event) =>
      finish({ code: event?.code ?? CLOSE_NORMAL, reason: event?.reason ?? "" });
    const timer = scheduler.setTimeout(() => finish(fallback), CLOSE_WAIT);
    socket.addEventListener("close", onClose);
  });
}

/**
 * @param {WebSocket} socket
 * @param {number} code
 * @param {string} reason
 */
function closeQuietly(socket, code, reason) {
  try {
    socket.close(code, truncateUtf8(reason, MAX_CLOSE_REASON_BYTES));
  } catch {
    // Already closing.
  }
}

/**
 * The longest start of `text` whose UTF-8 encoding fits in `maxBytes`, cut between code points.
 * @param {string} text
 * @param {number} maxBytes
 */
function truncateUtf8(text, maxBytes) {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const point = /** @type {number} */ (char.codePointAt(0));
    // A lone surrogate is sent as U+FFFD, 3 bytes.
    const size = point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * Stays on every socket for its whole life: `ws` throws an "error" nobody listens to (closing a socket that is
 * still connecting emits one), and the client's own listeners are gone by then.
 */
function ignore() {}

/** Runs a user callback; its failure is reported, never thrown into the client. */
function invokeSafely(/** @type {() => unknown} */ callback) {
  try {
    callback();
  } catch (error) {
    report(error);
  }
}

/** @param {unknown} error */
function report(error) {
  if (typeof globalThis.reportError === "function") globalThis.reportError(error);
  else console.error(error);
}
