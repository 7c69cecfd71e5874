// Cross-node check of a running ActorRpc cluster (started by deploy/local-cluster.sh).
//
//   node deploy/check-cluster.mjs          (Node 22+; Node 20 needs --experimental-websocket or the 'ws' package)
//
// 1. GET /ready on every node must answer 200 (an Up cluster member that accepts connections).
// 2. A WebSocket client on node 1 subscribes to the 'news' topic.
// 3. HTTP POST 'publish' {"topic":"news","data":{"x":1}} to node N, repeated every 500 ms (topic
//    subscriptions reach the other nodes by gossip, so the first publishes may find no subscriber
//    there yet), until node 1's subscriber receives exactly
//    {"jsonrpc":"2.0","method":"news","params":{"x":1}} or CHECK_TIMEOUT seconds pass.
// Exit code 0 on success, 1 on failure.
//
// Environment: NODES (3), HTTP_BASE_PORT (5000), CHECK_TIMEOUT (20 seconds); or NODE_URLS, the
// nodes' base URLs separated by spaces (e.g. "http://10.0.0.5:8080 http://10.0.0.6:8080"), which
// replaces NODES and HTTP_BASE_PORT. docker-compose.yml's nodes: HTTP_BASE_PORT=5001.

const HOST = "127.0.0.1";
const basePort = Number(process.env.HTTP_BASE_PORT ?? 5000);
const nodeUrls = (process.env.NODE_URLS ?? "").split(/\s+/).filter(Boolean).map((u) => u.replace(/\/+$/, ""));
const nodes = nodeUrls.length > 0 ? nodeUrls.length : Number(process.env.NODES ?? 3);
const timeoutMs = Number(process.env.CHECK_TIMEOUT ?? 20) * 1000;
const expected = '{"jsonrpc":"2.0","method":"news","params":{"x":1}}';
const publishBody = '{"jsonrpc":"2.0","method":"publish","params":{"topic":"news","data":{"x":1}},"id":1}';

const httpUrl = (i) => (nodeUrls.length > 0 ? nodeUrls[i - 1] : `http://${HOST}:${basePort + i - 1}`);
const wsUrl = (i) => `${httpUrl(i).replace(/^http/, "ws")}/rpc`;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function fail(message) {
  console.log(`FAIL: ${message}`);
  process.exit(1);
}

async function webSocketClass() {
  if (typeof globalThis.WebSocket === "function") {
    return globalThis.WebSocket;
  }
  try {
    // require() rather than import(), so NODE_PATH is honoured as well as node_modules folders.
    const { createRequire } = await import("node:module");
    const ws = createRequire(import.meta.url)("ws");
    return ws.WebSocket ?? ws;
  } catch {
    fail("no WebSocket client: use Node 22+, run Node 20 with --experimental-websocket, or install the 'ws' package (NODE_PATH)");
  }
}

// Text of a message event, for both the WHATWG WebSocket (event.data) and 'ws' (Buffer).
function messageText(event) {
  const data = event?.data ?? event;
  return typeof data === "string" ? data : Buffer.from(data).toString("utf8");
}

if (!Number.isInteger(nodes) || nodes < 2) {
  fail(`at least 2 nodes are needed to check across nodes (NODES=${process.env.NODES ?? ""}, NODE_URLS=${process.env.NODE_URLS ?? ""})`);
}

// 1. Readiness of every node.
for (let i = 1; i <= nodes; i++) {
  let status;
  try {
    status = (await fetch(`${httpUrl(i)}/ready`, { signal: AbortSignal.timeout(5000) })).status;
  } catch (error) {
    status = `no answer (${error.cause?.code ?? error.message})`;
  }
  console.log(`node${i} ${httpUrl(i)}/ready -> ${status}`);
  if (status !== 200) {
    fail(`node${i} is not ready`);
  }
}

// 2. Subscribe on node 1.
const WebSocketImpl = await webSocketClass();
const socket = new WebSocketImpl(wsUrl(1));
const frames = [];
let notify = () => {};
const onMessage = (event) => {
  frames.push(messageText(event));
  notify();
};
socket.addEventListener
  ? socket.addEventListener("message", onMessage)
  : socket.on("message", onMessage);

async function nextFrame(untilMs, predicate) {
  for (;;) {
    const index = frames.findIndex(predicate);
    if (index >= 0) {
      return frames.splice(index, 1)[0];
    }
    const left = untilMs - Date.now();
    if (left <= 0) {
      return undefined;
    }
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.min(left, 500));
      notify = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("timed out")), 5000);
  const opened = () => {
    clearTimeout(timer);
    resolve();
  };
  const failed = (e) => {
    clearTimeout(timer);
    reject(new Error(e?.message ?? "connection error"));
  };
  if (socket.addEventListener) {
    socket.addEventListener("open", opened);
    socket.addEventListener("error", failed);
  } else {
    socket.on("open", opened);
    socket.on("error", failed);
  }
}).catch((error) => fail(`WebSocket ${wsUrl(1)}: ${error.message}`));
console.log(`node1 ${wsUrl(1)}: WebSocket open`);

const subscribe = '{"jsonrpc":"2.0","method":"subscribe","params":["news"],"id":"sub"}';
socket.send(subscribe);
console.log(`node1 -> ${subscribe}`);
const subscribed = await nextFrame(Date.now() + 5000, (f) => f.includes('"id":"sub"'));
console.log(`node1 <- ${subscribed ?? "(nothing within 5 s)"}`);
if (!subscribed || !JSON.parse(subscribed).result?.includes("news")) {
  fail("subscribe on node 1 was not acknowledged with a result listing 'news'");
}

// 3. Publish on node N until node 1 receives the notification.
const deadline = Date.now() + timeoutMs;
let publishes = 0;
let received;
while (!received && Date.now() < deadline) {
  publishes++;
  let answer;
  try {
    const response = await fetch(`${httpUrl(nodes)}/rpc`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: publishBody,
      signal: AbortSignal.timeout(5000),
    });
    answer = `${response.status} ${await response.text()}`;
  } catch (error) {
    answer = `error ${error.cause?.code ?? error.message}`;
  }
  if (publishes === 1) {
    console.log(`node${nodes} POST ${httpUrl(nodes)}/rpc ${publishBody}`);
    console.log(`node${nodes} <- ${answer}`);
  } else if (!answer.startsWith("200 ")) {
    console.log(`node${nodes} publish #${publishes} <- ${answer}`);
  }
  received = await nextFrame(Math.min(deadline, Date.now() + 500), (f) => f.includes('"method":"news"'));
}

socket.close();
if (!received) {
  fail(`node1's subscriber received no 'news' notification within ${timeoutMs / 1000} s (${publishes} publishes on node${nodes}); frames: ${JSON.stringify(frames)}`);
}
console.log(`node1 <- ${received}   (after ${publishes} publish(es) on node${nodes}, ${elapsed()})`);
if (received !== expected) {
  fail(`expected exactly ${expected}`);
}
console.log(`PASS: a 'news' publish on node${nodes} reached a WebSocket subscriber on node1`);
process.exit(0);
