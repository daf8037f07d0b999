// The audit log: every endpoint management action is recorded with its actor (the API key's
// id), subject and details, in the transaction of the change (a refused action records
// nothing), and no secret ever reaches it. GET /v1/audit lists it newest first, keyset-paged.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { before, describe, test } from "node:test";
import { API_KEY, heraldForSuite } from "../helpers.ts";

const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

interface Entry {
  id: string;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: Record<string, any> | null;
}

describe("audit log", () => {
  const { db, herald } = heraldForSuite({ role: "api" });
  let keyId: string;

  before(async () => {
    const [key] = await db.sql<{ id: string }[]>`select id from api_keys`;
    keyId = (key as { id: string }).id;
  });

  async function entries(subject: string): Promise<Entry[]> {
    const res = await herald.api("GET", `/v1/audit?subject=${encodeURIComponent(subject)}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.data;
  }

  async function create(body: Record<string, unknown> = {}) {
    const res = await herald.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/a", ...body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; secret: string };
  }

  test("each endpoint action is recorded once, with the API key as actor", async () => {
    const ep = await create({ tenant: "t1", max_in_flight: 4, headers: { "X-A": "1" } });
    await herald.api("PATCH", `/v1/endpoints/${ep.id}`, { description: "d", max_in_flight: 4 });
    await herald.api("POST", `/v1/endpoints/${ep.id}/disable`, { reason: "maintenance" });
    await herald.api("POST", `/v1/endpoints/${ep.id}/enable`);
    await herald.api("POST", `/v1/endpoints/${ep.id}/rotate-secret`);
    await herald.api("DELETE", `/v1/endpoints/${ep.id}`);

    const list = await entries(ep.id);
    assert.deepEqual(
      list.map((e) => e.action),
      [
        "endpoint.deleted",
        "endpoint.secret_rotated",
        "endpoint.enabled",
        "endpoint.disabled",
        "endpoint.updated",
        "endpoint.created",
      ],
    );
    for (const e of list) {
      assert.equal(e.actor, keyId);
      assert.equal(e.subject, ep.id);
      assert.ok(Math.abs(Date.parse(e.at) - Date.now()) < 60_000, e.at);
    }
    const [deleted, rotated, enabled, disabled, updated, created] = list as Entry[];
    assert.deepEqual(created?.details, {
      secret_generated: true,
      url: "http://127.0.0.1:9/a",
      tenant: "t1",
      description: null,
      event_types: null,
      max_in_flight: 4,
      rate_limit_per_second: null,
      signature_scheme: "standard-webhooks",
      headers: ["X-A"],
    });
    // Only the fields whose value changed (max_in_flight was already 4).
    assert.deepEqual(updated?.details, { fields: ["description"], values: { description: "d" } });
    assert.deepEqual(disabled?.details, { reason: "maintenance", was_enabled: true });
    assert.deepEqual(enabled?.details, {
      was_enabled: false,
      previous_reason: "disabled by hand: maintenance",
    });
    assert.equal(rotated?.details?.secret_generated, true);
    assert.ok(Date.parse(rotated?.details?.previous_secret_expires_at) > Date.now());
    assert.deepEqual(deleted?.details, { cancelled_deliveries: 0 });
  });

  test("PATCH enabled records endpoint.enabled / endpoint.disabled, plus endpoint.updated for other fields", async () => {
    const ep = await create();
    await herald.api("PATCH", `/v1/endpoints/${ep.id}`, { enabled: false });
    await herald.api("PATCH", `/v1/endpoints/${ep.id}`, {
      enabled: true,
      url: "http://127.0.0.1:9/b",
    });
    const list = await entries(ep.id);
    assert.deepEqual(
      list.map((e) => e.action),
      ["endpoint.enabled", "endpoint.updated", "endpoint.disabled", "endpoint.created"],
    );
    assert.deepEqual(list[1]?.details, {
      fields: ["url"],
      values: { url: "http://127.0.0.1:9/b" },
    });
    assert.deepEqual(list[2]?.details, { reason: null, was_enabled: true });
  });

  test("a refused action records nothing", async () => {
    const ep = await create();
    const [{ n: before }] = (await db.sql`select count(*)::int as n from audit_log`) as any;
    const refused = [
      await herald.api("PATCH", `/v1/endpoints/${ep.id}`, { max_in_flight: -1 }),
      await herald.api("PATCH", `/v1/endpoints/${ep.id}`, { headers: { Host: "x" } }),
      await herald.api("PATCH", `/v1/endpoints/${ep.id}`, { url: "ftp://x" }),
      await herald.api("POST", `/v1/endpoints/${ep.id}/rotate-secret`, { secret: "whsec_bad" }),
      await herald.api("POST", `/v1/endpoints/${ep.id}/rotate-secret`, { secret: ep.secret }),
      await herald.api("POST", "/v1/endpoints/ep_nope/enable"),
      await herald.api("POST", "/v1/endpoints/ep_nope/disable"),
      await herald.api("DELETE", "/v1/endpoints/ep_nope"),
      await herald.api("POST", "/v1/endpoints", { url: "http://x/", rate_limit_per_second: 0 }),
    ];
    for (const r of refused) assert.ok(r.status >= 400, JSON.stringify(r.body));
    const [{ n: after }] = (await db.sql`select count(*)::int as n from audit_log`) as any;
    assert.equal(after, before);
  });

  test("an action whose audit entry cannot be written is undone: the entry is in its transaction", async () => {
    const ep = await create();
    const gone = await create();
    const state = async () => {
      const [row] = await db.sql`
        select (select json_agg(e order by id) from endpoints e) as endpoints,
               (select count(*)::int from audit_log) as audit`;
      return row;
    };
    const before = await state();
    // From now on every insert into audit_log fails (NOT VALID: existing rows are not checked).
    await db.sql`alter table audit_log add constraint refuse_all check (false) not valid`;
    try {
      const attempts = [
        await herald.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/new" }),
        await herald.api("PATCH", `/v1/endpoints/${ep.id}`, { description: "changed" }),
        await herald.api("PATCH", `/v1/endpoints/${ep.id}`, { enabled: false }),
        await herald.api("POST", `/v1/endpoints/${ep.id}/disable`, { reason: "r" }),
        await herald.api("POST", `/v1/endpoints/${ep.id}/rotate-secret`),
        await herald.api("DELETE", `/v1/endpoints/${gone.id}`),
      ];
      for (const r of attempts) assert.equal(r.status, 500, JSON.stringify(r.body));
    } finally {
      await db.sql`alter table audit_log drop constraint refuse_all`;
    }
    assert.deepEqual(await state(), before, "endpoints and audit log unchanged");
  });

  test("no secret, key material, header value or URL password ever reaches the audit log", async () => {
    const given = newSecret();
    const ep = await create({
      secret: given,
      url: "https://alice:hunter2pass@example.com/hook",
      headers: { Authorization: "Bearer static-token-value" },
    });
    const rotatedTo = newSecret();
    const r1 = await herald.api("POST", `/v1/endpoints/${ep.id}/rotate-secret`, {
      secret: rotatedTo,
    });
    const r2 = await herald.api("POST", `/v1/endpoints/${ep.id}/rotate-secret`);
    await herald.api("PATCH", `/v1/endpoints/${ep.id}`, {
      headers: { Authorization: "Bearer second-token-value" },
      url: "https://bob:s3cr3tpw@example.com/hook2",
    });
    await herald.api("POST", `/v1/endpoints/${ep.id}/disable`, { reason: "r" });
    await herald.api("DELETE", `/v1/endpoints/${ep.id}`);
    assert.equal(r1.status, 200);
    assert.equal(r2.status, 200);

    const [row] = await db.sql<{ text: string }[]>`
      select coalesce(string_agg(a::text, E'\n'), '') as text from audit_log a`;
    const text = (row as { text: string }).text;
    assert.ok(text.includes(ep.id), "the entries are there");
    for (const secret of [given, rotatedTo, r2.body.secret as string]) {
      assert.ok(!text.includes(secret), "a secret is in the audit log");
      assert.ok(
        !text.includes(secret.slice("whsec_".length, 30)),
        "key material is in the audit log",
      );
    }
    for (const leak of ["static-token-value", "second-token-value", "hunter2pass", "s3cr3tpw"]) {
      assert.ok(!text.includes(leak), `${leak} is in the audit log`);
    }
    const list = await entries(ep.id);
    assert.equal(list.at(-1)?.details?.url, "https://redacted:redacted@example.com/hook");
    assert.deepEqual(list.at(-1)?.details?.headers, ["Authorization"]);
  });

  test("the seed client's POST /events records its endpoint's creation once, by system", async () => {
    const target = "http://127.0.0.1:9/seed-audit";
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${herald.url}/events`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
        body: JSON.stringify({ target_url: target, payload: { i } }),
      });
      assert.equal(res.status, 202);
    }
    const [ep] = await db.sql<{ id: string }[]>`select id from endpoints where url = ${target}`;
    const list = await entries((ep as { id: string }).id);
    assert.deepEqual(
      list.map((e) => [e.action, e.actor]),
      [["endpoint.created", "system"]],
    );
  });

  test("GET /v1/audit: newest first, filtered by subject, keyset-paged", async () => {
    const a = await create();
    const b = await create();
    for (const reason of ["1", "2", "3"]) {
      await herald.api("POST", `/v1/endpoints/${a.id}/disable`, { reason });
    }
    const all = await entries(a.id);
    assert.equal(all.length, 4);
    assert.ok(all.every((e) => e.subject === a.id));
    const ids = all.map((e) => BigInt(e.id));
    assert.deepEqual(
      ids,
      [...ids].sort((x, y) => (x > y ? -1 : x < y ? 1 : 0)),
    );
    assert.deepEqual(
      all.slice(0, 3).map((e) => e.details?.reason),
      ["3", "2", "1"],
    );

    const seen: Entry[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/v1/audit?subject=${a.id}&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await herald.api("GET", q);
      assert.equal(page.status, 200);
      assert.ok(page.body.data.length <= 3);
      seen.push(...page.body.data);
      cursor = page.body.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, all);

    const everything = await herald.api("GET", "/v1/audit?limit=500");
    const subjects = new Set(everything.body.data.map((e: Entry) => e.subject));
    assert.ok(subjects.has(a.id) && subjects.has(b.id));
    assert.deepEqual((await entries("ep_never")).length, 0);

    // By action, and by actor: the test key made these, the worker none.
    const disables = await herald.api("GET", `/v1/audit?action=endpoint.disabled&limit=500`);
    assert.ok(disables.body.data.length >= 3);
    assert.ok(disables.body.data.every((e: Entry) => e.action === "endpoint.disabled"));
    const actor = all[0]?.actor as string;
    const mine = await herald.api("GET", `/v1/audit?actor=${actor}&subject=${a.id}`);
    assert.deepEqual(mine.body.data, all);
    const none = await herald.api("GET", `/v1/audit?actor=system&subject=${a.id}`);
    assert.deepEqual(none.body.data, []);
  });

  test("GET /v1/audit refuses a bad cursor, limit or unknown parameter with 400", async () => {
    for (const q of ["cursor=abc", "cursor=-1", "limit=-1", "limit=x", "limit=99999", "mine=me"]) {
      const res = await herald.api("GET", `/v1/audit?${q}`);
      assert.equal(res.status, 400, `${q}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, "invalid_request");
    }
  });
});
