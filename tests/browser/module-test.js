// Checks of the browser client (/actorrpc.js, as MapActorRpcBrowserClient serves it) against a real
// ActorRpc server, driven by tests/ActorRpc.Tests/Browser/ModulePageSpec.cs.
//
// The page reports through the DOM and window.results; the spec waits on <body data-phase>:
//   "awaiting-restart": the first checks ran; the spec now restarts the server on the same port and,
//                       once the new server is up, calls window.serverRestarted()
//   "done":             the checks after the reconnect ran too
//   "failed":           a check failed or threw; window.results says which
// Waits here are on events (a notification, the "reconnected" event), each bounded so that a
// broken client fails the page rather than hanging it. The reconnect's bound starts only when the
// spec says the new server is up: stopping and starting a server on a loaded machine is not the
// client's time to spend. (The wait for that signal is bounded by the spec.)
import { ActorRpcClient, RpcError } from "/actorrpc.js";

const Bound = 15000;
const results = (window.results = []);
const url = `ws://${location.host}/rpc`;

/** Resolved by the spec (window.serverRestarted()) once the server is up again on the same port. */
const restarted = signal();
window.serverRestarted = () => restarted.resolve();

function setPhase(phase) {
  document.body.dataset.phase = phase;
  document.getElementById("phase").textContent = phase;
}

class CheckFailed extends Error {}

function report(name, ok, detail) {
  results.push({ name, ok, detail: detail === undefined ? "" : String(detail) });
  const item = document.createElement("li");
  item.dataset.check = name;
  item.dataset.ok = String(ok);
  item.textContent = `${ok ? "ok" : "FAILED"} ${name}${detail ? `: ${detail}` : ""}`;
  document.getElementById("checks").append(item);
}

/** Reports a check; a failed one ends the run (later checks build on earlier ones). */
function record(name, ok, detail) {
  report(name, ok, detail);
  if (!ok) throw new CheckFailed(name);
}

/** The error <promise> rejects with, or undefined when it resolves. */
async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }

  return undefined;
}

function equal(name, actual, expected) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  record(name, a === e, a === e ? a : `expected ${e}, got ${a}`);
}

/** Resolves with <promise>'s value, or rejects when it takes longer than Bound. */
function within(promise, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${Bound} ms`)), Bound);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** A promise and its resolver, for "the callback saw X". */
function signal() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

/** Calls the server's publish_test (which publishes with ITopicPublisher) and waits until it answered. */
const publish = (rpc, topic, data) => rpc.call("publish_test", { topic, data });

let rpc;
const notifications = [];
const serverCalls = [];

try {
  rpc = await ActorRpcClient.connect(url, { reconnect: { initialDelay: 100, maxDelay: 500 } });
  equal("connected: state", rpc.state, "open");
  rpc.addEventListener("notification", (event) => notifications.push(event.detail));
  rpc.addEventListener("servercall", (event) => serverCalls.push(event.detail));
  const reconnected = signal();
  rpc.addEventListener("reconnected", () => reconnected.resolve());

  // Calls: positional and named params.
  equal("call: positional params", await rpc.call("add", [2, 3]), 5);
  equal("call: named params", await rpc.call("add", { a: 40, b: 2 }), 42);

  // An error answer rejects with RpcError.
  const error = await rejection(rpc.call("computer_says_no"));
  record("error: rejects with an RpcError", error instanceof RpcError && error.name === "RpcError", error ? `${error.name}: ${error.message}` : "resolved");
  equal("error: code and message", [error.code, error.message], [-32050, "Computer says no."]);

  // Subscribe: a published notification reaches the callback.
  const seen = [];
  const waiting = new Map();
  const arrival = (n) => {
    const arrived = signal();
    waiting.set(n, arrived.resolve);
    return arrived.promise;
  };
  const onNews = (data, topic) => {
    seen.push({ data, topic });
    waiting.get(data?.n)?.(data);
  };
  let arrived = arrival(1);
  let subscription = await rpc.subscribe("news", onNews);
  equal("subscribe: subscription's topic", subscription.topic, "news");
  await publish(rpc, "news", { n: 1 });
  equal("subscribe: the notification", await within(arrived, "notification n=1"), { n: 1 });
  equal("subscribe: callback's topic", seen[0].topic, "news");

  // Unsubscribe: n=2, published afterwards, never arrives. The fence is n=3 on the same topic after
  // subscribing again: from one publisher a subscriber gets a topic's notifications in order, so had
  // n=2 been sent it would have come before n=3.
  await subscription.unsubscribe();
  await publish(rpc, "news", { n: 2 });
  arrived = arrival(3);
  subscription = await rpc.subscribe("news", onNews);
  await publish(rpc, "news", { n: 3 });
  await within(arrived, "notification n=3");
  equal("unsubscribe: nothing in between", seen.map((s) => s.data.n), [1, 3]);
  equal(
    "unsubscribe: no notification n=2 reached the client at all",
    notifications.filter((n) => n.method === "news").map((n) => n.params.n),
    [1, 3],
  );

  // A server→client call: ask_client calls this page's method, whose result comes back.
  let handlerContext;
  rpc.addMethod("multiply", async (params, context) => {
    handlerContext = context;
    return params[0] * params[1];
  });
  equal("server call: the handler's result comes back", await rpc.call("ask_client", { method: "multiply", params: [6, 7] }), 42);
  equal("server call: the servercall event", serverCalls.map((c) => [c.method, c.params]), [["multiply", [6, 7]]]);
  equal("server call: the handler gets the request's id", handlerContext?.id, serverCalls[0].id);

  // An unknown client method is answered -32601, which ask_client reports as its client error.
  const refused = await rejection(rpc.call("ask_client", { method: "no_such_method", params: [] }));
  equal("server call: unknown method refused", [refused?.code, refused?.data?.clientCode], [-32070, -32601]);

  // The spec restarts the server on the same port now.
  setPhase("awaiting-restart");
  await restarted.promise;
  await within(reconnected.promise, "reconnected event after the server restarted");
  equal("reconnect: state", rpc.state, "open");
  equal("reconnect: a call succeeds", await rpc.call("add", [20, 22]), 42);
  equal("reconnect: the subscription was made again", await rpc.call("get_subscriptions"), ["news"]);
  // The server's publish reaches the callback registered before the restart.
  arrived = arrival(4);
  await publish(rpc, "news", { n: 4 });
  equal("reconnect: the re-made subscription delivers", await within(arrived, "notification n=4"), { n: 4 });

  await rpc.close();
  equal("close: state", rpc.state, "closed");
  setPhase("done");
} catch (error) {
  if (!(error instanceof CheckFailed)) report("unexpected error", false, `${error?.name}: ${error?.message}\n${error?.stack ?? ""}`);
  setPhase("failed");
}
