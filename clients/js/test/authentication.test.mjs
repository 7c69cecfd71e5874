import { test } from "node:test";
import assert from "node:assert/strict";
import { ActorRpcClient, RpcError } from "../actorrpc.js";
import { connected, FakeServer, settle, URL, reconnectAttempt } from "../test-support/fakes.mjs";

test("with a token, authenticate is the first message and connect waits for its answer", async () => {
  const server = new FakeServer();
  let resolved = false;
  const connecting = ActorRpcClient.connect(URL, { WebSocket: server.WebSocket, token: "jwt" }).then((c) => {
    resolved = true;
    return c;
  });
  const socket = await server.nextSocket();
  socket.accept();
  const request = await socket.next();
  assert.deepEqual(request, { jsonrpc: "2.0", method: "authenticate", params: { token: "jwt" }, id: 1 });
  await settle();
  assert.equal(resolved, false);
  assert.equal(socket.url, URL, "the token stays out of the URL");
  socket.reply({ jsonrpc: "2.0", id: 1, result: { name: "ann", expires: "2030-01-01T00:00:00Z" } });
  const client = await connecting;
  assert.equal(client.state, "open");
  await client.close();
});

test("a refused token rejects connect with the server's RpcError and closes the socket", async () => {
  const server = new FakeServer();
  const connecting = ActorRpcClient.connect(URL, { WebSocket: server.WebSocket, token: "bad" });
  const socket = await server.nextSocket();
  socket.accept();
  const { id } = await socket.next();
  socket.reply({ jsonrpc: "2.0", id, error: { code: -32010, message: "Invalid token" } });
  await assert.rejects(connecting, (e) => e instanceof RpcError && e.code === -32010 && e.message === "Invalid token");
  assert.equal(socket.closedBy.code, 1000);
  assert.equal(server.sockets.length, 1);
});

test('tokenIn "query" appends access_token URL-encoded, keeping the existing query, and sends no authenticate', async () => {
  const { client, socket } = await connected({
    url: "ws://server.test/rpc?tenant=a#frag",
    token: "a b&c=d/é",
    tokenIn: "query",
  });
  assert.equal(socket.url, `ws://server.test/rpc?tenant=a&access_token=${encodeURIComponent("a b&c=d/é")}#frag`);
  assert.equal(client.url, "ws://server.test/rpc?tenant=a#frag", "the token never shows in url");
  await settle();
  assert.equal(socket.unread, 0, "no authenticate message");
  await client.close();
});

test('tokenIn "query" on a URL without a query starts one', async () => {
  const { client, socket } = await connected({ token: () => "t", tokenIn: "query" });
  assert.equal(socket.url, `${URL}?access_token=t`);
  await client.close();
});

test("no token (or an empty one) means no authenticate message", async () => {
  const { client, socket } = await connected({ token: () => "" });
  await settle();
  assert.equal(socket.unread, 0);
  await client.close();
});

test("authenticate() calls the server and its token is used on the next connection", async () => {
  const { client, server, socket, scheduler } = await connected();
  const authenticating = client.authenticate("later");
  const request = await socket.answer("authenticate", { name: "bob", expires: "2030-01-01T00:00:00Z" });
  assert.deepEqual(request.params, { token: "later" });
  assert.deepEqual(await authenticating, { name: "bob", expires: "2030-01-01T00:00:00Z" });
  socket.drop(1006);
  const second = await reconnectAttempt(server, scheduler);
  assert.deepEqual((await second.answer("authenticate", {})).params, { token: "later" });
  await client.close();
});

test("a refused authenticate() rejects and is not remembered", async () => {
  const { client, server, socket, scheduler } = await connected();
  const authenticating = client.authenticate("bad");
  const { id } = await socket.next();
  socket.reply({ jsonrpc: "2.0", id, error: { code: -32010, message: "Invalid token" } });
  await assert.rejects(authenticating, RpcError);
  socket.drop(1006);
  const second = await reconnectAttempt(server, scheduler);
  await new Promise((resolve) => client.addEventListener("reconnected", resolve, { once: true }));
  assert.equal(second.unread, 0, "no authenticate with the refused token");
  await client.close();
});

test("invalid options are rejected", async () => {
  const server = new FakeServer();
  await assert.rejects(ActorRpcClient.connect(URL, { WebSocket: server.WebSocket, tokenIn: "header" }), TypeError);
  await assert.rejects(ActorRpcClient.connect(URL, { WebSocket: server.WebSocket, timeout: -1 }), TypeError);
  await assert.rejects(ActorRpcClient.connect("", { WebSocket: server.WebSocket }), TypeError);
  assert.equal(server.sockets.length, 0);
});
