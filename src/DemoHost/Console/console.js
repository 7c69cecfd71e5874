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
  rpc.addEventListener("reconnected", () => showState("open", "reconnected"));
  rpc.addEventListener("closed", (event) => showState("closed", event.detail?.reason || `code ${event.detail?.code ?? "?"}`));
  rpc.addEventListener("notification", (event) => logNotification(event.detail.method, event.detail.params));
  rpc.addEventListener("servercall", (event) => logServerCall(event.detail));

  // What the server may ask of this page (ask_client): each answer is written beside its call.
  rpc.addMethod("confirm", (_params, context) => answered(context?.id, true));
  rpc.addMethod("echo", (params, context) => answered(context?.id, params ?? null));

  await discover();
}

function showState(name, detail) {
  state.dataset.state = name;
  state.textContent = detail ? `${name} (${detail})` : name;
}

/** Reads the methods and topics this caller may use: rpc.discover, else get_methods and get_topics. */
async function discover() {
  const status = byId("methods-status");
  let methods;
  let topics;
  try {
    const document = await rpc.call("rpc.discover");
    methods = document.methods ?? [];
    topics = document["x-topics"] ?? [];
    status.textContent = `${document.info?.title ?? "Server"} ${document.info?.version ?? ""}: ${methods.length} methods.`;
  } catch (error) {
    // A server without rpc.discover: names only, called with raw JSON params.
    methods = (await rpc.call("get_methods")).map((name) => ({ name, rawOnly: true }));
    topics = await rpc.call("get_topics");
    status.textContent = `rpc.discover failed (${describe(error)}); methods from get_methods, params as raw JSON.`;
  }

  byId("methods").replaceChildren(...methods.map(renderMethod));
  const concrete = topics
    .map((topic) => (typeof topic === "string" ? { name: topic, pattern: topic.includes("*") } : topic))
    .filter((topic) => !topic.pattern);
  byId("topics").replaceChildren(...concrete.map(renderTopic));
}

// ---- methods -------------------------------------------------------------------------------

function renderMethod(method) {
  const node = byId("method-template").content.firstElementChild.cloneNode(true);
  const name = method.name;
  node.dataset.testid = `method-${name}`;
  node.dataset.method = name;
  node.querySelector(".name").textContent = name;

  // The list shows each summary's first sentence; the whole text is inside, with the description.
  const summary = method.summary ?? "";
  const firstSentence = summary.match(/^.*?[.!?](?=\s|$)/)?.[0] ?? summary;
  node.querySelector(".summary").textContent = firstSentence;
  const description = node.querySelector(".description");
  description.textContent = [summary === firstSentence ? "" : summary, method.description ?? ""].filter(Boolean).join(" ");
  description.hidden = description.textContent === "";

  const form = node.querySelector("form");
  const fields = (method.params ?? []).map((param) => createField(name, param));
  node.querySelector(".fields").replaceChildren(...fields.map((field) => field.element));
  if (fields.length > 0) node.querySelector(".fields").setAttribute("aria-label", `Params of ${name}`);

  const rawToggle = node.querySelector(".raw-toggle");
  const raw = node.querySelector(".raw");
  const rawParams = node.querySelector(".raw-params");
  rawToggle.id = `raw-toggle-${name}`;
  rawToggle.dataset.testid = `raw-toggle-${name}`;
  rawParams.id = `raw-params-${name}`;
  rawParams.dataset.testid = `raw-params-${name}`;
  node.querySelector(".raw-label").htmlFor = rawParams.id;
  const fieldset = node.querySelector(".fields");
  const useRaw = (on) => {
    rawToggle.checked = on;
    raw.hidden = !on;
    fieldset.hidden = on;
    fieldset.disabled = on;
  };
  useRaw(Boolean(method.rawOnly));
  rawToggle.addEventListener("change", () => useRaw(rawToggle.checked));

  const button = node.querySelector(".call-button");
  button.dataset.testid = `call-${name}`;
  button.setAttribute("aria-label", `Call ${name}`);
  const outcome = node.querySelector(".outcome");
  outcome.dataset.testid = `outcome-${name}`;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let params;
    try {
      params = rawToggle.checked ? parseRaw(rawParams.value) : namedParams(fields);
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
  });
  return node;
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

  let input;
  if (kind === "object" || kind === "array") {
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
    input.autocomplete = "off";
  }

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
      if (kind === "boolean") return { present: true, value: input.checked };
      const text = input.value.trim();
      if (text === "") return { present: false };
      switch (kind) {
        case "number":
        case "integer":
          return { present: true, value: Number(text) };
        case "string":
          return { present: true, value: input.value };
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
  item.dataset.subscribed = String(input.checked);
  input.addEventListener("change", async () => {
    input.disabled = true;
    problem.textContent = "";
    try {
      if (input.checked) {
        // Notifications reach the log through the client's "notification" event, so the callback has nothing to do.
        subscriptions.set(topic.name, await rpc.subscribe(topic.name, () => {}));
      } else {
        const subscription = subscriptions.get(topic.name);
        subscriptions.delete(topic.name);
        await subscription?.unsubscribe();
      }
    } catch (error) {
      input.checked = subscriptions.has(topic.name);
      problem.textContent = ` ${describe(error)}`;
    } finally {
      input.disabled = false;
      item.dataset.subscribed = String(subscriptions.has(topic.name));
    }
  });
  return item;
}

function logNotification(method, params) {
  const entry = document.createElement("li");
  entry.dataset.topic = method;
  const name = document.createElement("code");
  name.textContent = method;
  const data = document.createElement("pre");
  data.textContent = JSON.stringify(params ?? null);
  entry.append(now(), " ", name, data);
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
  entry.append(now(), " ", name, data, answer);
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

  // The user may call (and subscribe to) more now: discovery answers each caller with what it may use.
  await discover();
}

// ---- helpers ---------------------------------------------------------------------------------

function describe(error) {
  if (error instanceof RpcError || (error && typeof error.code === "number")) return `${error.code} ${error.message}`;
  return error?.message ? `${error.name ?? "Error"}: ${error.message}` : String(error);
}

function now() {
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
