// GET /v1/openapi.json: an OpenAPI 3.1 document, generated from the routes' schemas, that an
// independent validator (@apidevtools/swagger-parser) accepts and that names every route the
// server has (a route added without appearing here fails this test).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import SwaggerParser from "@apidevtools/swagger-parser";
import Fastify from "fastify";
import { describeResponses, NOT_JSON, RESPONSES } from "../../src/http/responses.ts";
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

  test("every route's success answers are described, with named shapes for the SDK's types", async () => {
    const doc = await (await fetch(`${herald.url}/v1/openapi.json`)).json();
    const undescribed = routesOf(herald)
      .map((r) => `${r.method} ${r.path}`)
      .filter((r) => !NOT_JSON.has(r) && r !== "GET *" && !RESPONSES[r]);
    assert.deepEqual(undescribed, [], "routes without response schemas (http/responses.ts)");
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(item)) {
        const success = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s));
        assert.ok(success.length > 0, `${method} ${path} has a success answer`);
      }
    }
    const get = doc.paths["/v1/endpoints/{id}"].get.responses["200"];
    assert.equal(get.content["application/json"].schema.$ref, "#/components/schemas/Endpoint");
    assert.deepEqual(
      doc.components.schemas.Endpoint.required.slice(0, 3),
      ["id", "url", "tenant"],
      "the shape is a component",
    );
  });

  test("with the check on, an answer off its schema is a 500 naming the route", async () => {
    // Herald's validation settings (http/app.ts): no coercion, nothing removed.
    const app = Fastify({
      ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
    });
    describeResponses(app, true);
    // Routes the registry describes ({ status }), answering something else.
    app.get("/health/live", async () => ({ status: 1 }));
    app.get("/health/ready", async () => ({ status: "ok", schema: 13, extra: true }));
    app.get("/health", async () => ({ status: "ok" }));
    const stderr = process.stderr.write;
    let said = "";
    process.stderr.write = ((chunk: string) => {
      said += chunk;
      return true;
    }) as typeof process.stderr.write;
    try {
      const bad = await app.inject({ method: "GET", url: "/health/live" });
      assert.equal(bad.statusCode, 500, "a field of another type");
      const extra = await app.inject({ method: "GET", url: "/health/ready" });
      assert.equal(extra.statusCode, 500, "a field the schema does not name");
      const good = await app.inject({ method: "GET", url: "/health" });
      assert.equal(good.statusCode, 200);
      assert.deepEqual(good.json(), { status: "ok" });
    } finally {
      process.stderr.write = stderr;
      await app.close();
    }
    assert.match(said, /GET \/health\/live answered 200 off its schema/);
  });

  test("docs/api.md names every route of the document, and no route the server lacks", async () => {
    const doc = await (await fetch(`${herald.url}/v1/openapi.json`)).json();
    const md = readFileSync(new URL("../../docs/api.md", import.meta.url), "utf8");
    const inDocument = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Record<string, object>)) {
      for (const method of Object.keys(item)) {
        inDocument.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`);
      }
    }
    const inDocs = new Set(
      [...md.matchAll(/`((?:GET|POST|PATCH|DELETE) \/[^`?\s]*)`/g)].map((m) => m[1] as string),
    );
    const undocumented = [...inDocument].filter((r) => !inDocs.has(r));
    assert.deepEqual(undocumented, [], "routes missing from docs/api.md");
    // The scope table names groups ("DELETE /v1/api-keys" for the key routes); the dashboard is
    // GET / and the document itself is hidden from it.
    const grouped = (r: string) => [...inDocument].some((d) => d.startsWith(`${r}/`));
    const stale = [...inDocs].filter(
      (r) => !inDocument.has(r) && !grouped(r) && r !== "GET /" && r !== "GET /v1/openapi.json",
    );
    assert.deepEqual(stale, [], "docs/api.md names routes the server does not have");
  });
});
