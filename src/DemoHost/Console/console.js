// The demo node's console: a page that talks to the node with ActorRpc's own browser client.
// Plain DOM code, no build step; everything from the server is shown with textContent, never as HTML.
import { ActorRpcClient, RpcError } from "/actorrpc.js";

/** How many notifications and server calls each log keeps (the oldest go first). */
const MaxLogEntries = 200;

/** The node's JSON-RPC endpoint, on the host that served this page (DemoNode.RpcPath). */
const url = `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/rpc`;

const byId = (id) => document.getElementById(id);
const state = byId("state");
const subscriptions = new Map();

/** Methods whose node is on the page, by name, with the description (as JSON) each was built from. */
const rendered = new Map();

/** @type {ActorRpcClient} */
let rpc;

byId("ws-url").textContent = url;
byId("token-form").addEventListener("submit", authenticate);
byId("clear-notifications").addEventListener("click", () => byId("notifications").replaceChildren());
byId("custom-call").addEventListener("submit", callCustom);

await start();

async function start() {
  // The client reconnects by itself once it was open; only the first connection is retried here.
  for (let attempt = 1; ; attempt++) {
    try {
      rpc = await ActorRpcClient.connect(url);
      break;
    } catch (error) {
      const delay = Math.min(500 * 2 ** attempt, 10000);
      showState("closed", `${describe(error)}; retrying in ${Math.round(delay / 1000)} s`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      showState("connecting");
    }
  }

  showState("open");
  rpc.addEventListener("open", () => showState("open"));
  rpc.addEventListener("reconnecting", (event) => showState("reconnecting", `attempt ${event.detail?.attempt ?? "?"}`));
  rpc.addEventListener("reconnected", () => {
    showState("open", "reconnected");
    // The server may have restarted with other methods or topics (or a new version of them).
    discover();
  });
  rpc.addEventListener("closed", (event) => showState("closed", event.detail?.reason || `code ${event.detail?.code ?? "?"}`));
  rpc.addEventListener("notification", (event) => logNotification(event.detail.method, event.detail.params));
  rpc.addEventListener("servercall", (event) => logServerCall(event.detail));
  rpc.addEventListener("subscriptionlost", (event) => subscriptionLost(event.detail.topic, event.detail.error));

  // What the server may ask of this page (ask_client): each answer is written beside its call.
  // confirm answers true without asking anyone: this is a demo, driven by tests too. A real page would
  // ask its user (window.confirm, or Yes/No buttons resolving the handler's promise).
  rpc.addMethod("confirm", (_params, context) => answered(context?.id, true));
  rpc.addMethod("echo", (params, context) => answered(context?.id, params ?? null));

  await discover();
}

function showState(name, detail) {
  state.dataset.state = name;
  state.textContent = detail ? `${name} (${detail})` : name;
}

/**
 * Lists the methods and topics this caller may use. Never throws: when discovery fails altogether
 * the status says why (instead of "Reading rpc.discover…" for ever), and the custom call still works.
 */
async function discover() {
  const status = byId("methods-status");
  status.dataset.status = "reading";
  let catalog;
  try {
    catalog = await readCatalog();
  } catch (error) {
    status.dataset.status = "failed";
    status.textContent = `Discovery failed: ${describe(error)}. Call methods by name below.`;
    return;
  }

  status.dataset.status = "done";
  status.textContent = catalog.status;
  render(catalog);
}

/** The methods and topics: from rpc.discover, else (a server without it) from get_methods and get_topics. */
async function readCatalog() {
  try {
    const openrpc = await rpc.call("rpc.discover");
    const methods = openrpc.methods ?? [];
    return {
      methods,
      topics: openrpc["x-topics"] ?? [],
      status: `${openrpc.info?.title ?? "Server"} ${openrpc.info?.version ?? ""}: ${methods.length} methods.`,
    };
  } catch (error) {
    // Names only, called with raw JSON params. If these fail too, discover() shows their error.
    const methods = (await rpc.call("get_methods")).map((name) => ({ name, rawOnly: true }));
    const topics = await rpc.call("get_topics");
    return { methods, topics, status: `rpc.discover failed (${describe(error)}); methods from get_methods, params as raw JSON.` };
  }
}

function render({ methods, topics }) {
  // A method described as before keeps its node, so what was typed in it (and its last outcome) stays.
  const nodes = methods.map((method) => {
    const signature = JSON.stringify(method);
    const existing = rendered.get(method.name);
    if (existing?.signature === signature) return existing.node;
    const node = renderMethod(method);
    rendered.set(method.name, { signature, node });
    return node;
  });
  for (const name of [...rendered.keys()]) {
    if (!methods.some((method) => method.name === name)) rendered.delete(name);
  }

  byId("methods").replaceChildren(...nodes);
  const concrete = topics
    .map((topic) => (typeof topic === "string" ? { name: topic, pattern: topic.includes("*") } : topic))
    .filter((topic) => !topic.pattern);
  byId("topics").replaceChildren(...concrete.map(renderTopic));
}

// ---- methods -------------------------------------------------------------------------------

/** A method's entry: its name and texts, a field per param (or raw JSON), the Call button and the outcome. */
function renderMethod(method) {
  const node = byId("method-template").content.firstElementChild.cloneNode(true);
  const name = method.name;
  node.dataset.testid = `method-${name}`;
  node.dataset.method = name;
  describeMethod(node, method);

  const fields = (method.params ?? []).map((param) => createField(name, param));
  const fieldset = node.querySelector(".fields");
  fieldset.replaceChildren(...fields.map((field) => field.element));
  if (fields.length > 0) fieldset.setAttribute("aria-label", `Params of ${name}`);

  const readRaw = wireRawToggle(node, name, Boolean(method.rawOnly));
  const button = node.querySelector(".call-button");
  button.dataset.testid = `call-${name}`;
  button.setAttribute("aria-label", `Call ${name}`);
  const outcome = node.querySelector(".outcome");
  outcome.dataset.testid = `outcome-${name}`;

  const readParams = () => readRaw() ?? { params: namedParams(fields) };
  node.querySelector("form").addEventListener("submit", (event) => submitCall(event, name, readParams, button, outcome));
  return node;
}

/** The summary's first sentence beside the name; the whole text, with the description, inside. */
function describeMethod(node, method) {
  node.querySelector(".name").textContent = method.name;
  const summary = method.summary ?? "";
  const firstSentence = summary.match(/^.*?[.!?](?=\s|$)/)?.[0] ?? summary;
  node.querySelector(".summary").textContent = firstSentence;
  const description = node.querySelector(".description");
  description.textContent = [summary === firstSentence ? "" : summary, method.description ?? ""].filter(Boolean).join(" ");
  description.hidden = description.textContent === "";
}

/**
 * Wires the "Raw JSON params" switch, which swaps the fields for a textarea.
 * Returns a reader: undefined while the fields are used, else `{ params }` parsed from the textarea (throws on bad JSON).
 */
function wireRawToggle(node, name, rawOnly) {
  const rawToggle = node.querySelector(".raw-toggle");
  const rawParams = node.querySelector(".raw-params");
  rawToggle.id = `raw-toggle-${name}`;
  rawToggle.dataset.testid = `raw-toggle-${name}`;
  rawParams.id = `raw-params-${name}`;
  rawParams.dataset.testid = `raw-params-${name}`;
  node.querySelector(".raw-label").htmlFor = rawParams.id;
  const fieldset = node.querySelector(".fields");
  const raw = node.querySelector(".raw");
  const useRaw = (on) => {
    rawToggle.checked = on;
    raw.hidden = !on;
    fieldset.hidden = on;
    fieldset.disabled = on;
  };
  useRaw(rawOnly);
  rawToggle.addEventListener("change", () => useRaw(rawToggle.checked));
  return () => (rawToggle.checked ? { params: parseRaw(rawParams.value) } : undefined);
}

async function submitCall(event, name, readParams, button, outcome) {
  event.preventDefault();
  let params;
  try {
    ({ params } = readParams());
  } catch (error) {
    showError(outcome, name, { code: "", message: error.message }, undefined);
    return;
  }

  button.disabled = true;
  try {
    await invoke(name, params, outcome);
  } finally {
    button.disabled = false;
  }
}

/** One input for one parameter, chosen by its JSON schema's type. */
function createField(methodName, param) {
  const schema = typeof param.schema === "object" && param.schema !== null ? param.schema : {};
  const kind = kindOf(schema);
  const id = `param-${methodName}-${param.name}`;
  const element = document.createElement("div");
  element.className = `field field-${kind}`;

  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = param.name;
  const hint = document.createElement("span");
  hint.className = "type";
  hint.textContent = `${kind === "json" ? "any JSON" : kind}${param.required ? ", required" : ""}`;
  label.append(" ", hint);

  // An optional boolean is a select (not given / true / false): a checkbox could not leave it out.
  const triState = kind === "boolean" && !param.required;
  let input;
  if (triState) {
    input = document.createElement("select");
    for (const [value, text] of [["", "(not given)"], ["true", "true"], ["false", "false"]]) {
      input.append(new Option(text, value));
    }
  } else if (kind === "object" || kind === "array") {
    input = document.createElement("textarea");
    input.rows = 3;
    input.spellcheck = false;
    input.placeholder = kind === "object" ? "{ }" : "[ ]";
  } else {
    input = document.createElement("input");
    input.type = kind === "boolean" ? "checkbox" : kind === "number" || kind === "integer" ? "number" : "text";
    if (kind === "integer") input.step = "1";
    if (kind === "number") input.step = "any";
    if (kind === "json") input.placeholder = "JSON, or plain text for a string";
  }

  if (!triState) input.autocomplete = "off";
  input.id = id;
  input.name = param.name;
  input.dataset.testid = id;
  if (param.required && kind !== "boolean") input.required = true;
  element.append(label, input);

  if (param.description) {
    const description = document.createElement("p");
    description.className = "hint";
    description.id = `${id}-description`;
    description.textContent = param.description;
    input.setAttribute("aria-describedby", description.id);
    element.append(description);
  }

  return {
    element,
    name: param.name,
    // { present: false } leaves an empty optional parameter out of the call.
    read() {
      if (triState) return input.value === "" ? { present: false } : { present: true, value: input.value === "true" };
      if (kind === "boolean") return { present: true, value: input.checked };
      // A string is sent as typed, spaces and all; only an empty one is left out.
      if (kind === "string") return input.value === "" ? { present: false } : { present: true, value: input.value };
      const text = input.value.trim();
      if (text === "") return { present: false };
      switch (kind) {
        case "number":
        case "integer":
          // A JS number: integers beyond 2^53 lose precision. Fine for a demo console; raw JSON
          // params go through JSON.parse, which has the same limit.
          return { present: true, value: Number(text) };
        case "object":
        case "array":
          return { present: true, value: parseJson(text, param.name) };
        default:
          // Any JSON value: numbers, true, null, objects as typed; anything else as the string it is.
          try {
            return { present: true, value: JSON.parse(text) };
          } catch {
            return { present: true, value: input.value };
          }
      }
    },
  };
}

function kindOf(schema) {
  let type = schema.type;
  if (Array.isArray(type)) type = type.find((t) => t !== "null") ?? "null";
  return ["string", "number", "integer", "boolean", "object", "array"].includes(type) ? type : "json";
}

function namedParams(fields) {
  if (fields.length === 0) return undefined;
  const params = {};
  for (const field of fields) {
    const { present, value } = field.read();
    if (present) params[field.name] = value;
  }
  return params;
}

function parseRaw(text) {
  if (text.trim() === "") return undefined;
  const params = parseJson(text, "params");
  if (typeof params !== "object" || params === null) throw new Error("Params must be a JSON array or object.");
  return params;
}

function parseJson(text, what) {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} is not valid JSON: ${error.message}`);
  }
}

async function callCustom(event) {
  event.preventDefault();
  const outcome = byId("custom-outcome");
  const name = byId("custom-method").value.trim();
  let params;
  try {
    params = parseRaw(byId("custom-params").value);
  } catch (error) {
    showError(outcome, "custom-call", { code: "", message: error.message }, undefined);
    return;
  }

  if (!rpc || name === "") return;
  const button = byId("custom-call-button");
  button.disabled = true;
  try {
    await invoke(name, params, outcome, "custom-call");
  } finally {
    button.disabled = false;
  }
}

/** Calls <name> and shows the outcome; <key> names the outcome's test ids (the method's name, or "custom-call"). */
async function invoke(name, params, outcome, key = name) {
  outcome.dataset.outcome = "pending";
  outcome.textContent = "Calling…";
  const started = performance.now();
  try {
    const result = await rpc.call(name, params);
    showResult(outcome, key, result, performance.now() - started);
  } catch (error) {
    showError(outcome, key, error, performance.now() - started);
  }
}

function showResult(outcome, key, result, elapsed) {
  outcome.dataset.outcome = "result";
  const value = document.createElement("pre");
  value.className = "value";
  value.dataset.testid = `result-${key}`;
  value.textContent = JSON.stringify(result ?? null, null, 2);
  outcome.replaceChildren(timing(key, elapsed), value);
}

function showError(outcome, key, error, elapsed) {
  outcome.dataset.outcome = "error";
  const list = document.createElement("dl");
  list.className = "error";
  list.dataset.testid = `error-${key}`;
  const isRpc = error instanceof RpcError || (error && typeof error.code === "number");
  const entries = [
    ["code", isRpc ? String(error.code) : ""],
    ["message", isRpc ? error.message : describe(error)],
  ];
  if (isRpc && error.data !== undefined) entries.push(["data", JSON.stringify(error.data, null, 2)]);
  for (const [term, text] of entries) {
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement(term === "data" ? "pre" : "dd");
    dd.dataset.testid = `error-${key}-${term}`;
    dd.textContent = text;
    list.append(dt, dd);
  }

  outcome.replaceChildren(...(elapsed === undefined ? [] : [timing(key, elapsed)]), list);
}

function timing(key, elapsed) {
  const element = document.createElement("p");
  element.className = "timing";
  element.dataset.testid = `timing-${key}`;
  element.textContent = `${elapsed.toFixed(1)} ms`;
  return element;
}

// ---- topics ----------------------------------------------------------------------------------

function renderTopic(topic) {
  const item = document.createElement("li");
  const label = document.createElement("label");
  label.className = "switch";
  const input = document.createElement("input");
  input.type = "checkbox";
  input.checked = subscriptions.has(topic.name);
  input.setAttribute("role", "switch");
  input.id = `topic-${topic.name}`;
  input.dataset.testid = `topic-${topic.name}`;
  const name = document.createElement("code");
  name.textContent = topic.name;
  label.append(input, " ", name);
  const problem = document.createElement("span");
  problem.className = "problem";
  problem.dataset.testid = `topic-${topic.name}-error`;
  problem.setAttribute("role", "status");
  item.append(label);
  if (topic.summary) {
    const summary = document.createElement("span");
    summary.className = "hint";
    summary.textContent = ` ${topic.summary}`;
    item.append(summary);
  }

  item.append(problem);
  item.dataset.testid = `topic-item-${topic.name}`;
  item.dataset.subscribed = String(input.checked);
  input.addEventListener("change", () => toggleTopic(topic.name, input, item, problem));
  return item;
}

async function toggleTopic(name, input, item, problem) {
  input.disabled = true;
  problem.textContent = "";
  try {
    if (input.checked) {
      // Notifications reach the log through the client's "notification" event, so the callback has nothing to do.
      subscriptions.set(name, await rpc.subscribe(name, () => {}));
    } else {
      // Forgotten only once the server agreed: a failed unsubscribe leaves the switch on, as the server still sends.
      await subscriptions.get(name)?.unsubscribe();
      subscriptions.delete(name);
    }
  } catch (error) {
    problem.textContent = ` ${describe(error)}`;
  } finally {
    input.checked = subscriptions.has(name);
    input.disabled = false;
    item.dataset.subscribed = String(subscriptions.has(name));
  }
}

/**
 * A reconnect's re-subscribe was refused (the topic is gone, or now needs a permission): its switch goes
 * off with the reason, and the notification log says so too, since the list is read again after the
 * reconnect and a topic that is gone leaves it (with its switch).
 */
function subscriptionLost(name, error) {
  subscriptions.delete(name);
  const reason = `Subscription lost: ${describe(error)}`;
  const entry = document.createElement("li");
  entry.dataset.lost = name;
  const topic = document.createElement("code");
  topic.textContent = name;
  entry.append(timestamp(), " ", topic, ` ${reason}`);
  prepend(byId("notifications"), entry);

  const input = byId(`topic-${name}`);
  if (!input) return;
  input.checked = false;
  const item = input.closest("li");
  item.dataset.subscribed = "false";
  item.querySelector(".problem").textContent = ` ${reason}`;
}

function logNotification(method, params) {
  const entry = document.createElement("li");
  entry.dataset.topic = method;
  const name = document.createElement("code");
  name.textContent = method;
  const data = document.createElement("pre");
  data.textContent = JSON.stringify(params ?? null);
  entry.append(timestamp(), " ", name, data);
  prepend(byId("notifications"), entry);
}

// ---- server calls ------------------------------------------------------------------------

function logServerCall({ method, params, id }) {
  const entry = document.createElement("li");
  entry.dataset.method = method;
  entry.dataset.id = String(id);
  const name = document.createElement("code");
  name.textContent = method;
  const data = document.createElement("pre");
  data.textContent = JSON.stringify(params ?? null);
  const answer = document.createElement("span");
  answer.className = "answer";
  answer.textContent = "…";
  entry.append(timestamp(), " ", name, data, answer);
  prepend(byId("servercalls"), entry);
}

function answered(id, value) {
  for (const entry of byId("servercalls").children) {
    if (entry.dataset.id === String(id)) {
      entry.querySelector(".answer").textContent = `→ ${JSON.stringify(value)}`;
      break;
    }
  }

  return value;
}

// ---- sign-in ---------------------------------------------------------------------------------

async function authenticate(event) {
  event.preventDefault();
  const who = byId("who");
  const token = byId("token").value.trim();
  if (!rpc || token === "") return;
  who.dataset.outcome = "pending";
  who.textContent = "Authenticating…";
  let user;
  try {
    user = await rpc.authenticate(token);
  } catch (error) {
    who.dataset.outcome = "error";
    who.textContent = `Refused: ${describe(error)}`;
    return;
  }

  who.dataset.outcome = "result";
  who.textContent = `Signed in as ${user?.name ?? "?"}${user?.expires ? ` until ${user.expires}` : ""}.`;
  // The client keeps the token (in memory, for reconnects); the field need not show it any longer.
  byId("token").value = "";

  // The user may call (and subscribe to) more now: discovery answers each caller with what it may use.
  await discover();
}

// ---- helpers ---------------------------------------------------------------------------------

function describe(error) {
  if (error instanceof RpcError || (error && typeof error.code === "number")) return `${error.code} ${error.message}`;
  return error?.message ? `${error.name ?? "Error"}: ${error.message}` : String(error);
}

/** A <time> element for now, shown as the local time of day. */
function timestamp() {
  const time = document.createElement("time");
  const at = new Date();
  time.dateTime = at.toISOString();
  time.textContent = at.toLocaleTimeString([], { hour12: false });
  return time;
}

function prepend(log, entry) {
  log.prepend(entry);
  while (log.children.length > MaxLogEntries) log.lastElementChild.remove();
}
