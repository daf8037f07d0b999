// The SDK's copy of the OpenAPI document (sdk/openapi.json) and the types generated from it
// (sdk/src/schema.ts) are current: a route or schema changed without regenerating them fails
// here. HERALD_UPDATE_SDK=1 npm test -- test/sdk/generated rewrites both.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { describe, test } from "node:test";
// @ts-expect-error: a plain ES module of the SDK's build scripts, without types.
import { schemaSource } from "../../sdk/scripts/generate.mjs";
import { heraldForSuite } from "../helpers.ts";

const DOCUMENT = new URL("../../sdk/openapi.json", import.meta.url);
const SCHEMA = new URL("../../sdk/src/schema.ts", import.meta.url);

describe("the SDK's generated types", () => {
  const { herald } = heraldForSuite({ role: "api" });

  test("sdk/openapi.json is the document Herald serves, and sdk/src/schema.ts its types", async () => {
    const served = `${JSON.stringify(await (await fetch(`${herald.url}/v1/openapi.json`)).json(), null, 2)}\n`;
    const types: string = await schemaSource(JSON.parse(served));
    if (process.env.HERALD_UPDATE_SDK === "1") {
      await writeFile(DOCUMENT, served);
      await writeFile(SCHEMA, types);
    }
    const hint = "regenerate: HERALD_UPDATE_SDK=1 npm test -- test/sdk/generated";
    assert.equal(await readFile(DOCUMENT, "utf8"), served, `sdk/openapi.json is stale; ${hint}`);
    assert.equal(await readFile(SCHEMA, "utf8"), types, `sdk/src/schema.ts is stale; ${hint}`);
  });
});
