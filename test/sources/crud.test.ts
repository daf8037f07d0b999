// Managing sources: create (secret returned once, ingest_url), read, list with paging, change,
// delete, validation (400), unknown ids (404), the audit trail, and the API key requirement.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { heraldForSuite } from "../helpers.ts";

describe("sources CRUD", () => {
  const { herald } = heraldForSuite();

  test("create, read, list with paging, update and delete, each audited", async () => {
    const tenant = "crud-tenant";
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await herald.api("POST", "/v1/sources", {
        name: `gh ${i}`,
        provider: "github",
        tenant,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.ingest_url, `/in/${res.body.id}`);
      assert.match(res.body.id, /^src_/);
      assert.match(res.body.secret, /^[0-9a-f]{64}$/);
      assert.equal(res.body.rejected, 0);
      ids.push(res.body.id);
    }
    const one = await herald.api("GET", `/v1/sources/${ids[0]}`);
    assert.equal(one.status, 200);
    assert.equal(one.body.secret, undefined);
    assert.equal(one.body.provider, "github");
    const page1 = await herald.api("GET", `/v1/sources?tenant=${tenant}&limit=2`);
    assert.equal(page1.body.data.length, 2);
    assert.ok(page1.body.next_cursor);
    const page2 = await herald.api(
      "GET",
      `/v1/sources?tenant=${tenant}&limit=2&cursor=${page1.body.next_cursor}`,
    );
    assert.equal(page2.body.data.length, 1);
    assert.equal(page2.body.next_cursor, null);
    const seen = [...page1.body.data, ...page2.body.data].map((s: any) => s.id).sort();
    assert.deepEqual(seen, [...ids].sort());

    const patched = await herald.api("PATCH", `/v1/sources/${ids[0]}`, {
      name: "renamed",
      secret: "a new secret value",
      options: { event_type: "custom" },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.name, "renamed");
    assert.equal(patched.body.secret, undefined);
    assert.deepEqual(patched.body.options, { event_type: "custom" });

    assert.equal((await herald.api("DELETE", `/v1/sources/${ids[0]}`)).status, 204);
    assert.equal((await herald.api("GET", `/v1/sources/${ids[0]}`)).status, 404);
    assert.equal((await herald.api("DELETE", `/v1/sources/${ids[0]}`)).status, 404);

    const audit = await herald.api("GET", `/v1/audit?subject=${ids[0]}`);
    const actions = audit.body.data.map((e: any) => e.action).reverse();
    assert.deepEqual(actions, ["source.created", "source.updated", "source.deleted"]);
    assert.ok(!JSON.stringify(audit.body).includes("a new secret value"), "no secret in audit");
  });

  test("invalid sources are 400", async () => {
    const bad: Record<string, unknown>[] = [
      { name: "x" },
      { name: "x", provider: "mailchimp" },
      { name: "x", provider: "hmac", secret: "long enough secret" },
      {
        name: "x",
        provider: "hmac",
        secret: "long enough secret",
        options: { header: "bad header" },
      },
      {
        name: "x",
        provider: "hmac",
        secret: "long enough",
        options: { header: "X-Sig", digest: "md5" },
      },
      {
        name: "x",
        provider: "hmac",
        secret: "long enough",
        options: { header: "X-Sig", encoding: "b32" },
      },
      { name: "x", provider: "github", options: { header: "X-Sig" } },
      { name: "x", provider: "github", options: { id_header: "X-Id" } },
      { name: "x", provider: "none", secret: "long enough secret" },
      { name: "x", provider: "standard-webhooks", secret: "not-a-whsec-secret" },
      { name: "x", provider: "none", endpoint_ids: ["ep_missing"] },
      { name: "x", provider: "none", unknown: 1 },
    ];
    for (const body of bad) {
      const res = await herald.api("POST", "/v1/sources", body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, "invalid_request");
    }
    const src = await herald.api("POST", "/v1/sources", { name: "x", provider: "none" });
    assert.equal(src.status, 201);
    assert.equal(src.body.secret, null);
    const patch = await herald.api("PATCH", `/v1/sources/${src.body.id}`, {
      secret: "no secret here",
    });
    assert.equal(patch.status, 400);
    assert.equal((await herald.api("PATCH", "/v1/sources/src_missing", { name: "y" })).status, 404);
  });

  test("the management API needs the API key; /in does not", async () => {
    const res = await fetch(`${herald.url}/v1/sources`);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as any).error.code, "unauthorized");
  });
});
