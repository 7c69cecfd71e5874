// Validates an OpenRPC document against the OpenRPC meta-schema (@open-rpc/meta-schema, pinned in
// package-lock.json): node validate.mjs document.json. Exit 0 when valid; 1 with the errors otherwise.
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

// Formats are not checked (that needs ajv-formats); strict mode would reject the meta-schema's own annotations.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
ajv.addSchema(jsonSchemaTools);
const validate = ajv.compile(metaSchema);

const document = JSON.parse(readFileSync(path, "utf8"));
if (validate(document)) {
  console.log(`VALID ${path}: openrpc ${document.openrpc}, ${document.methods.length} methods`);
  process.exit(0);
}

console.log(`INVALID ${path}`);
for (const error of validate.errors) {
  console.log(`${error.instancePath || "/"} ${error.message} ${JSON.stringify(error.params)}`);
}
process.exit(1);
