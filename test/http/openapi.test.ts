// GET /v1/openapi.json: an OpenAPI 3.1 document, generated from the routes' schemas, that an
// independent validator (@apidevtools/swagger-parser) accepts and that names every route the
// server has (a route added without appearing here fails this test).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import SwaggerParser from "@apidevtools/swagger-parser";
import { heraldForSuite } from "../helpers.ts";
import { routesOf } from "../support/routes.ts";

describe("OpenAPI document", () => {
  const { herald } = heraldForSuite({ role: "api" });

  test("served without a key, valid OpenAPI 3.1, every route in it with its parameters", async () => {
    const res = await fetch(`${herald.url}/v1/openapi.json`);
    assert.equal(res.status, 200);
    const doc = await res.json();
    assert.equal(doc.openapi, "3.1.0");
    // validate() dereferences in place: give it a copy.
    await SwaggerParser.validate(structuredClone(doc));

    const documented = new Set<string>();
    for (const [path, item] of Object.entries(
      doc.paths as Record<string, Record<string, unknown>>,
    )) {
      for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${path}`);
    }
    const missing = routesOf(herald)
      // The dashboard's catch-all (the app, not the API) and the document itself.
      .filter((r) => !["*", "/*", "/v1/openapi.json"].includes(r.path))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`)
      .filter((r) => !documented.has(r));
    assert.deepEqual(missing, [], "routes missing from the document");

    const create = doc.paths["/v1/endpoints"].post;
    assert.ok(create.requestBody.content["application/json"].schema.properties.url);
    assert.ok(create.responses["4XX"], "errors are described");
    const get = doc.paths["/v1/endpoints/{id}"].get;
    assert.deepEqual(
      get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`),
      ["path:id"],
    );
    const ids = new Set<string>();
    for (const item of Object.values(
      doc.paths as Record<string, Record<string, { operationId: string }>>,
    )) {
      for (const op of Object.values(item)) {
        assert.ok(!ids.has(op.operationId), `operationId ${op.operationId} is unique`);
        ids.add(op.operationId);
      }
    }
  });
});
