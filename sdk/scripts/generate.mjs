// Generates src/schema.ts (the API's types) from openapi.json, Herald's OpenAPI document as
// GET /v1/openapi.json serves it. `npm run generate` in this folder; Herald's test suite checks
// both files are current (HERALD_UPDATE_SDK=1 npm test -- test/sdk rewrites them).
import { readFile, writeFile } from "node:fs/promises";
import openapiTS, { astToString } from "openapi-typescript";

const HEADER = `// Generated from openapi.json by scripts/generate.mjs (openapi-typescript). Do not edit.\n`;

/** The TypeScript source of the document's types. */
export async function schemaSource(document) {
  // Every field the answers name is in them (the schemas list them all as required), so the
  // types say so; nullable fields are "T | null".
  const ast = await openapiTS(document, { alphabetize: false, exportType: false });
  return `${HEADER}${astToString(ast)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const here = new URL("..", import.meta.url);
  const document = JSON.parse(await readFile(new URL("openapi.json", here), "utf8"));
  await writeFile(new URL("src/schema.ts", here), await schemaSource(document));
}
