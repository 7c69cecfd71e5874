// Validates an OpenRPC document against the OpenRPC meta-schema (@open-rpc/meta-schema, pinned in
// package-lock.json), then compiles every param and result schema on its own, so a $ref that does not
// resolve within its schema fails too: node validate.mjs document.json. Exit 0 when valid; 1 with
// the errors otherwise.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv";
import metaSchemaPackage from "@open-rpc/meta-schema";

const require = createRequire(import.meta.url);
const path = process.argv[2];
if (!path) {
  console.error("usage: node validate.mjs <document.json>");
  process.exit(2);
}

// The meta-schema's schemas are those of https://meta.json-schema.tools, a draft-07 meta-schema it
// refers to by URL (definitions.JSONSchema, and JSONSchemaObject's $ref for Reference Objects). Ajv
// fetches nothing: that id is given ajv's own draft-07 meta-schema, with the JSONSchemaObject
// definition the meta-schema points into, so every schema in the document is checked as draft-07.
const metaSchema = structuredClone(metaSchemaPackage.openrpcDocument);
delete metaSchema.$schema;
metaSchema.definitions.JSONSchema = { $ref: "https://meta.json-schema.tools/" }; // the same id, with the slash ajv resolves by
const draft07 = structuredClone(require("ajv/dist/refs/json-schema-draft-07.json"));
const jsonSchemaTools = {
  ...draft07,
  $id: "https://meta.json-schema.tools/",
  definitions: { ...draft07.definitions, JSONSchemaObject: { type: "object", properties: { $ref: draft07.properties.$ref } } },
};

// rpc.discover's own result refers to the meta-schema by this URL, as the specification's example does.
const metaSchemaUrl = "https://raw.githubusercontent.com/open-rpc/meta-schema/master/schema.json";

// Formats are not checked (that needs ajv-formats); strict mode would reject the meta-schema's own annotations.
function newAjv() {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  ajv.addSchema(jsonSchemaTools);
  return ajv;
}

const validate = newAjv().compile(metaSchema);

const document = JSON.parse(readFileSync(path, "utf8"));
if (!validate(document)) {
  console.log(`INVALID ${path}`);
  for (const error of validate.errors) {
    console.log(`${error.instancePath || "/"} ${error.message} ${JSON.stringify(error.params)}`);
  }
  process.exit(1);
}

// Embedded in the document, a "#..." pointer resolves against the document unless its schema has
// its own $id. Each schema is then compiled by a fresh ajv, which knows only draft-07 and the
// meta-schema: a pointer that resolves to nothing inside its schema fails to compile.
function localRefs(node, found = []) {
  if (Array.isArray(node)) {
    node.forEach(item => localRefs(item, found));
  } else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith("#")) {
        found.push(value);
      } else {
        localRefs(value, found);
      }
    }
  }
  return found;
}

const failures = [];
for (const [i, method] of document.methods.entries()) {
  const schemas = [
    ...(method.params ?? []).map((param, j) => [`/methods/${i}/params/${j}/schema`, param.schema]),
    [`/methods/${i}/result/schema`, method.result?.schema],
  ];
  for (const [where, schema] of schemas) {
    if (schema === undefined) {
      continue;
    }
    const refs = localRefs(schema);
    if (refs.length > 0 && schema.$id === undefined) {
      failures.push(`${where} (${method.name}) has no $id, so ${refs.join(", ")} would point into the document`);
      continue;
    }
    try {
      const ajv = newAjv();
      ajv.addSchema(metaSchema, metaSchemaUrl);
      ajv.compile(schema);
    } catch (error) {
      failures.push(`${where} (${method.name}) does not compile: ${error.message}`);
    }
  }
}

if (failures.length > 0) {
  console.log(`INVALID ${path}`);
  for (const failure of failures) {
    console.log(failure);
  }
  process.exit(1);
}

console.log(`VALID ${path}: openrpc ${document.openrpc}, ${document.methods.length} methods, every schema compiles`);
process.exit(0);
