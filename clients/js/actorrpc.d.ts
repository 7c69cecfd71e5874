// Types for actorrpc.js, the ActorRpc JSON-RPC 2.0 WebSocket client. Kept by hand beside the module.

/** Positional (array) or named (object) parameters of a call or notification. */
export type RpcParams = readonly unknown[] | { readonly [name: string]: unknown };

/** The client's connection state. */
export type ClientState = "connecting" | "open" | "reconnecting" | "closed";

/**
 * Backoff settings for reconnects: a random delay between initialDelay/2 and a ceiling that doubles from
 * initialDelay up to maxDelay (after a close 1008 or 1013, at least initialDelay·2). Undefined means the default;
 * invalid values make connect reject with a TypeError.
 */
export interface ReconnectOptions {
  /** The first attempt's delay ceiling in ms, finite and > 0. Default 500. */
  initialDelay?: number;
  /** The largest delay in ms, finite and >= initialDelay. Default 30000. */
  maxDelay?: number;
  /** Failed attempts in a row before the client closes: an integer >= 0, or Infinity. Default Infinity. */
  maxAttempts?: number;
  /**
   * How long in ms a connection must stay open before a drop starts the backoff over from the first attempt;
   * a server that accepts and drops at once keeps the client backing off. Default 5000.
   */
  stableAfter?: number;
}

/** Timers and clock the client uses for timeouts, reconnect delays and stableAfter (a test hook; default the host's). */
export interface Scheduler {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: any): void;
  /** The current time in ms; default Date.now. */
  now?(): number;
}

/** Options of {@link ActorRpcClient.connect}. */
export interface ConnectOptions {
  /** A token, or a function asked for one on every (re)connect. An empty token means none. */
  token?: string | (() => string | Promise<string>);
  /**
   * "authenticate" (default): sent as the first message on each connection; connect rejects with its
   * RpcError if refused. "query": appended to the URL as `access_token`.
   */
  tokenIn?: "authenticate" | "query";
  /** The WebSocket constructor: default `globalThis.WebSocket`; in Node 20 pass the `ws` package's. */
  WebSocket?: new (url: string, protocols?: string | string[]) => any;
  /** Milliseconds per call (and per notify), including any wait for a reconnect. Default 30000; 0 means none. */
  timeout?: number;
  /**
   * Milliseconds for each connection's opening and handshake (authenticate, re-subscribe), whatever `timeout` is:
   * a reconnect that runs out is retried, a first connect rejects with TimeoutError. Default 10000; must be > 0.
   */
  handshakeTimeout?: number;
  /** Whether (and how) to reconnect after the connection drops. Default true. */
  reconnect?: boolean | ReconnectOptions;
  /** WebSocket subprotocols. */
  protocols?: string | string[];
  /** Timers and clock to use instead of the host's (tests). */
  scheduler?: Scheduler;
  /** A random source in [0, 1) for the backoff jitter (tests). Default Math.random. */
  random?: () => number;
}

/** Options of {@link ActorRpcClient.call}. */
export interface CallOptions {
  /** Milliseconds before the call rejects with TimeoutError; 0 means none. Default the client's. */
  timeout?: number;
  /** Aborting it rejects the call with the signal's reason and cancels it at the server. */
  signal?: AbortSignal;
}

/** What a server→client method handler gets besides the params. */
export interface MethodContext {
  /** The request's id; undefined when the server sent a notification. */
  id: string | number | undefined;
  /** Aborted when the server cancels the call or the connection is lost. */
  signal: AbortSignal;
}

/** A method the server may call on the client. Throw an {@link RpcError} to answer with its code. */
export type MethodHandler = (params: any, context: MethodContext) => unknown;

/** A live subscription to one topic. */
export interface Subscription {
  /** The topic's name. */
  readonly topic: string;
  /** Whether notifications still reach the callback. */
  readonly active: boolean;
  /**
   * Stops the callback; unsubscribes at the server when it was the topic's last subscription. When the server
   * refuses, the subscription stays active and the promise rejects with its RpcError (try again later).
   */
  unsubscribe(): Promise<void>;
}

/** The answer to `authenticate`. */
export interface AuthenticateResult {
  /** The user's name; null when the token names none. */
  name: string | null;
  /** When the authentication expires (ISO 8601); null for never. */
  expires: string | null;
}

/** Detail of the "reconnecting" event. */
export interface ReconnectingDetail {
  /** 1 for the first attempt after a drop. */
  attempt: number;
  /** Milliseconds before this attempt. */
  delay: number;
  /** Why the connection (or the previous attempt) failed. */
  error?: unknown;
}

/** Detail of the "closed" event. */
export interface ClosedDetail {
  code: number;
  reason: string;
}

/** Detail of the "notification" event. */
export interface NotificationDetail {
  method: string;
  params: any;
}

/** Detail of the "subscriptionlost" event. */
export interface SubscriptionLostDetail {
  /** The topic a reconnect's re-subscribe was refused for; its subscriptions are now inactive. */
  topic: string;
  /** The server's refusal (-32602). */
  error: RpcError;
}

/** Detail of the "servercall" event. */
export interface ServerCallDetail {
  method: string;
  params: any;
  id: string | number;
}

/** The client's events and their event objects. */
export interface ActorRpcClientEventMap {
  open: CustomEvent<null>;
  reconnecting: CustomEvent<ReconnectingDetail>;
  reconnected: CustomEvent<null>;
  closed: CustomEvent<ClosedDetail>;
  notification: CustomEvent<NotificationDetail>;
  servercall: CustomEvent<ServerCallDetail>;
  subscriptionlost: CustomEvent<SubscriptionLostDetail>;
}

/** An error the server (or a server→client method handler) answered with. */
export class RpcError extends Error {
  constructor(code: number, message: string, data?: unknown);
  readonly name: "RpcError";
  /** The JSON-RPC error code. */
  code: number;
  /** The error's `data` member, undefined when there was none. */
  data: unknown;
}

/** The connection closed (or could not be made) before a call was answered. */
export class ConnectionLostError extends Error {
  constructor(message?: string);
  readonly name: "ConnectionLostError";
}

/** A call got no answer within its timeout; the client asked the server to cancel it. */
export class TimeoutError extends Error {
  constructor(method: string, timeout: number);
  readonly name: "TimeoutError";
  /** The method that was called. */
  method: string;
  /** The timeout in milliseconds. */
  timeout: number;
}

/** A JSON-RPC 2.0 client for an ActorRpc node over WebSocket. */
export class ActorRpcClient extends EventTarget {
  /** Use {@link ActorRpcClient.connect}. */
  private constructor();

  /** Opens a connection and, with a token, authenticates; resolves once open. */
  static connect(url: string, options?: ConnectOptions): Promise<ActorRpcClient>;

  /** The URL given to connect (without any access token). */
  readonly url: string;
  /** The connection state. */
  readonly state: ClientState;

  /** Calls a method; rejects with RpcError, TimeoutError, ConnectionLostError or the signal's reason. */
  call<T = any>(method: string, params?: RpcParams, options?: CallOptions): Promise<T>;
  /** Sends a notification; resolves once sent (a wait for a reconnect is bounded by the client's timeout). */
  notify(method: string, params?: RpcParams): Promise<void>;
  /** Subscribes to a topic; resolves once the server confirmed. */
  subscribe<T = any>(topic: string, callback: (data: T, topic: string) => void): Promise<Subscription>;
  /** Registers a method the server may call; returns its remover. */
  addMethod(name: string, handler: MethodHandler): () => void;
  /** Removes a method the server may call; returns whether it was registered. */
  removeMethod(name: string): boolean;
  /** Calls `authenticate` and remembers the token for reconnects (a client made with a token function keeps the function). */
  authenticate(token: string): Promise<AuthenticateResult>;
  /** Closes for good: no reconnect; calls in flight reject with ConnectionLostError. */
  close(): Promise<void>;

  addEventListener<K extends keyof ActorRpcClientEventMap>(
    type: K,
    listener: (this: ActorRpcClient, event: ActorRpcClientEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof ActorRpcClientEventMap>(
    type: K,
    listener: (this: ActorRpcClient, event: ActorRpcClientEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
}
