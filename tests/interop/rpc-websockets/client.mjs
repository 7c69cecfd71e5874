// Interop check: the Node client of the npm package rpc-websockets against a running ActorRpc node.
//
//   npm ci || npm install          (in a copy of this folder, or here: node_modules/ is git-ignored)
//   node client.mjs ws://127.0.0.1:5000/rpc
//
// Prints one line per check and exits 0 only if every check passed (1 on a mismatch, 2 if the
// server cannot be reached or the whole run takes longer than RUN_TIMEOUT_MS).

import { Client } from "rpc-websockets";

const url = process.argv[2];
if (!url) {
  console.error("usage: node client.mjs ws://HOST:PORT/rpc");
  process.exit(2);
}

const CALL_TIMEOUT_MS = 10_000;
const RUN_TIMEOUT_MS = 60_000;
// How long "no reply" is waited for after a notification.
const QUIET_MS = 300;

const watchdog = setTimeout(() => {
  console.error(`FAIL  run did not finish within ${RUN_TIMEOUT_MS} ms`);
  process.exit(2);
}, RUN_TIMEOUT_MS);

let failures = 0;
const check = (name, ok, detail) => {
  console.log(`${ok ? "PASS" : "FAIL"}  ${name}${detail === undefined ? "" : `  -> ${detail}`}`);
  if (!ok) failures++;
};
const show = (value) => JSON.stringify(value);

// No automatic reconnection: a dropped connection must fail the run, not be hidden.
const client = new Client(url, { reconnect: false });

// Every frame the server sends, so replies that rpc-websockets would silently drop are seen.
const frames = [];

await new Promise((resolve, reject) => {
  client.once("open", resolve);
  client.once("error", (e) => reject(new Error(`cannot connect to ${url}: ${e?.message ?? e}`)));
}).catch((e) => {
  console.error(`FAIL  ${e.message}`);
  process.exit(2);
});
client.socket.on("message", (data) => frames.push(data.toString()));
client.on("close", (code, reason) => check("connection stays open", false, `closed ${code} ${reason}`));
console.log(`connected to ${url}`);

const call = (method, params) => client.call(method, params, CALL_TIMEOUT_MS);

async function expectResult(name, method, params, expected) {
  try {
    const result = await call(method, params);
    check(name, show(result) === show(expected), show(result));
  } catch (e) {
    check(name, false, `rejected: ${show(e)} ${e?.message ?? ""}`);
  }
}

async function expectError(name, method, params, code, message) {
  try {
    const result = await call(method, params);
    check(name, false, `resolved with ${show(result)}, expected error ${code}`);
  } catch (e) {
    const ok = e?.code === code && typeof e?.message === "string" && (message === undefined || e.message === message);
    check(name, ok, show(e));
  }
}

// Calls. rpc-websockets leaves "params" out when none are given.
await expectResult('ping (no params)', "ping", undefined, "pong");
await expectResult("add [2,3]", "add", [2, 3], 5);
await expectResult("add {a:2,b:3}", "add", { a: 2, b: 3 }, 5);
await expectResult('echo ["x",1,null]', "echo", ["x", 1, null], ["x", 1, null]);
try {
  const methods = await call("get_methods");
  check("get_methods lists ping", Array.isArray(methods) && methods.includes("ping"), show(methods));
} catch (e) {
  check("get_methods lists ping", false, `rejected: ${show(e)}`);
}

// Errors arrive as the rejected promise's value: the JSON-RPC error object itself.
await expectError("computer_says_no -> -32050", "computer_says_no", undefined, -32050, "Computer says no.");
await expectError("divide [1,0] -> -32603", "divide", [1, 0], -32603);
await expectError("no_such_method -> -32601", "no_such_method", undefined, -32601);
await expectError('add ["two",3] -> -32602', "add", ["two", 3], -32602);

// A notification gets no reply, and the connection still works afterwards.
{
  const before = frames.length;
  await client.notify("computer_says_no");
  await expectResult("call after notification", "ping", undefined, "pong");
  await new Promise((r) => setTimeout(r, QUIET_MS));
  const extra = frames.slice(before).filter((f) => !/"result"\s*:\s*"pong"/.test(f));
  check("notification got no reply", extra.length === 0, extra.length ? extra.join(" ") : undefined);
}

// Calls on one connection run concurrently: a ping overtakes a 500 ms sleep.
{
  const order = [];
  const sleep = call("sleep", { ms: 500 }).then((r) => (order.push("sleep"), r));
  const ping = call("ping").then((r) => (order.push("ping"), r));
  const [slept, pong] = await Promise.all([sleep, ping]);
  check("ping overtakes sleep 500", slept === 500 && pong === "pong" && order[0] === "ping", show(order));
}

client.removeAllListeners("close");
client.close();
clearTimeout(watchdog);
console.log(failures === 0 ? "all checks passed" : `${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
