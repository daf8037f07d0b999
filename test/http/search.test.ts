// Finding things in big lists, as the dashboard does: endpoints searched by text, narrowed by
// health and sorted (every order pages through each endpoint once); events by id prefix and by
// a payload field, with where their deliveries stand; queued deliveries with why they wait.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { heraldForSuite } from "../helpers.ts";
import { finishDelivery } from "../support/history.ts";

describe("searching lists", () => {
  const { db, herald } = heraldForSuite({ role: "api", circuitFailures: 3 });

  async function ok(method: string, path: string, body?: unknown): Promise<any> {
    const res = await herald.api(method, path, body);
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async function pages(path: string, limit: number): Promise<any[]> {
    const rows: any[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes("?") ? "&" : "?";
      const page: any = await ok(
        "GET",
        `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      assert.ok(page.data.length <= limit);
      rows.push(...page.data);
      cursor = page.next_cursor;
      assert.ok(rows.length < 10_000, "paging does not end");
    } while (cursor);
    return rows;
  }

  const ids = (rows: any[]) => rows.map((r) => r.id);

  test("endpoints: search by URL, id, tenant or description, never by URL credentials", async () => {
    const shop = await ok("POST", "/v1/endpoints", {
      url: "https://user:Sekret@shop.example/hooks",
      tenant: "acme-shop",
    });
    const billing = await ok("POST", "/v1/endpoints", {
      url: "https://billing.example/in",
      tenant: "globex",
      description: "Invoices to ACME",
    });
    const search = async (q: string) =>
      ids(await pages(`/v1/endpoints?search=${encodeURIComponent(q)}`, 10));
    assert.deepEqual(await search("SHOP.example"), [shop.id]);
    assert.deepEqual(await search("acme"), [billing.id, shop.id]); // tenant and description
    assert.deepEqual(await search(shop.id.slice(3)), [shop.id]);
    assert.deepEqual(await search("glob"), [billing.id]);
    // The password is hidden from lists, so a search cannot find it out a letter at a time.
    assert.deepEqual(await search("sekret"), []);
    assert.deepEqual(await search("user:"), []);
    assert.deepEqual(await search("%"), []);
    const shown = await ok("GET", `/v1/endpoints?search=shop`);
    assert.ok(!JSON.stringify(shown).includes("Sekret"));
  });

  test("endpoints: narrowed by health, each order pages through every match once", async () => {
    const made: any[] = [];
    for (let i = 0; i < 9; i++) {
      made.push(
        await ok("POST", "/v1/endpoints", {
          url: `https://h${(i * 7) % 9}.example/x`,
          tenant: i % 2 ? `t-${i % 3}` : undefined,
          description: "health-test",
        }),
      );
    }
    const [open, halfOpen, failing, disabled] = made;
    await db.sql`update endpoints set consecutive_failures = 4,
      circuit_open_until = now() + interval '1 hour' where id = ${open.id}`;
    await db.sql`update endpoints set consecutive_failures = 3 where id = ${halfOpen.id}`;
    await db.sql`update endpoints set consecutive_failures = 1 where id = ${failing.id}`;
    await ok("POST", `/v1/endpoints/${disabled.id}/disable`, { reason: "test" });

    const q = "search=health-test";
    const sorted = (list: string[]) => [...list].sort();
    assert.deepEqual(
      sorted(ids(await pages(`/v1/endpoints?${q}&health=circuit_open`, 1))),
      sorted([open.id, halfOpen.id]),
    );
    assert.deepEqual(
      sorted(ids(await pages(`/v1/endpoints?${q}&health=failing`, 2))),
      sorted([open.id, halfOpen.id, failing.id]),
    );
    assert.deepEqual(ids(await pages(`/v1/endpoints?${q}&health=disabled`, 2)), [disabled.id]);
    const healthy = ids(await pages(`/v1/endpoints?${q}&health=healthy`, 2));
    assert.deepEqual(sorted(healthy), sorted(ids(made.slice(4))));

    const byUrl = await pages(`/v1/endpoints?${q}&sort=url`, 2);
    assert.deepEqual(
      byUrl.map((e) => e.url),
      made.map((e) => e.url).sort(),
    );
    const byTenant = await pages(`/v1/endpoints?${q}&sort=tenant`, 4);
    const tenantKeys = byTenant.map((e) => `${e.tenant ?? ""}\u0001${e.id}`);
    assert.deepEqual(tenantKeys, [...tenantKeys].sort());
    assert.equal(new Set(ids(byTenant)).size, 9);
    const byFailures = await pages(`/v1/endpoints?${q}&sort=failures`, 2);
    assert.deepEqual(
      byFailures.slice(0, 3).map((e) => e.id),
      [open.id, halfOpen.id, failing.id],
    );
    assert.equal(new Set(ids(byFailures)).size, 9);
    assert.deepEqual(
      ids(await pages(`/v1/endpoints?${q}`, 4)),
      ids(made).reverse(),
      "newest first by default",
    );

    for (const bad of ["health=sick", "sort=random", "search=", "search=%00"]) {
      const res = await herald.api("GET", `/v1/endpoints?${bad}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.error.code, "invalid_request");
    }
  });

  test("events: by id prefix and by payload field, with status and delivery count", async () => {
    const ep = await ok("POST", "/v1/endpoints", { url: "https://e.example/", tenant: "srch" });
    await ok("POST", "/v1/endpoints", { url: "https://f.example/", tenant: "srch" });
    const send = (id: string, payload: unknown) =>
      ok("POST", "/v1/events", { id, type: "order.paid", tenant: "srch", payload });
    await send("ord_100", { customer_id: "cust_001", total: 42, customer: { tier: "gold" } });
    await send("ord_101", { customer_id: "cust_002", total: "42" });
    await send("ord_1_x", { customer_id: "cust_001", paid: true });
    await send("ord%_odd", [1, 2, 3]);
    await send("other_1", "just text");

    const find = async (query: string) => ids(await pages(`/v1/events?tenant=srch&${query}`, 2));
    assert.deepEqual(await find("id_prefix=ord_10"), ["ord_101", "ord_100"]);
    assert.deepEqual(await find("id_prefix=ord_1"), ["ord_1_x", "ord_101", "ord_100"]);
    // LIKE's wildcards in a prefix are plain characters.
    assert.deepEqual(await find("id_prefix=ord%25"), ["ord%_odd"]);
    assert.deepEqual(await find("id_prefix=ord_"), ["ord_1_x", "ord_101", "ord_100"]);
    assert.deepEqual(await find("payload_path=customer_id&payload_value=cust_001"), [
      "ord_1_x",
      "ord_100",
    ]);
    // A number matches the number and the text that spells it.
    assert.deepEqual(await find("payload_path=total&payload_value=42"), ["ord_101", "ord_100"]);
    assert.deepEqual(await find("payload_path=paid&payload_value=true"), ["ord_1_x"]);
    assert.deepEqual(await find("payload_path=customer.tier&payload_value=gold"), ["ord_100"]);
    assert.deepEqual(await find("payload_path=customer_id&payload_value=nobody"), []);
    assert.deepEqual(await find("payload_path=total&payload_value=1e999"), []);
    assert.deepEqual(
      await find("id_prefix=ord_1&payload_path=customer_id&payload_value=cust_001"),
      ["ord_1_x", "ord_100"],
    );
    // The search is the index's: the plan uses events_payload.
    const [plan] = await db.sql`explain (format json)
      select seq from events
      where herald_payload_jsonb(payload, content_type) @> '{"customer_id":"cust_001"}'`;
    assert.match(JSON.stringify(plan), /events_payload/);

    const [row] = await db.sql`select d.id from deliveries d join events e on e.seq = d.event_seq
      where e.id = 'ord_100' and d.endpoint_id = ${ep.id}`;
    await finishDelivery(db.sql, row?.id, "failed");
    const listed = await pages("/v1/events?tenant=srch&id_prefix=ord_10", 5);
    assert.deepEqual(
      listed.map((e) => [e.id, e.status, e.delivery_count]),
      [
        ["ord_101", "pending", 2],
        ["ord_100", "failed", 2],
      ],
    );
    const none = await ok("POST", "/v1/events", { type: "x", tenant: "nobody-here", payload: {} });
    const [alone] = (await ok("GET", "/v1/events?tenant=nobody-here")).data;
    assert.equal(alone.id, none.id);
    assert.equal(alone.status, "none");
    assert.equal(alone.delivery_count, 0);

    for (const bad of [
      "payload_path=customer_id",
      "payload_value=x",
      "payload_path=a..b&payload_value=x",
      "payload_path=.a&payload_value=x",
      "id_prefix=",
    ]) {
      const res = await herald.api("GET", `/v1/events?${bad}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.error.code, "invalid_request", bad);
    }
  });

  test("an inbound body that says JSON but is not is stored and simply not searchable", async () => {
    const count = async () =>
      ((await db.sql<{ n: number }[]>`select count(*)::int as n from events`)[0] as { n: number })
        .n;
    const before = await count();
    await db.sql`insert into events (id, type, payload, payload_sha256, content_type)
      values ('in_bad', 'raw', '{not json', 'x', 'application/json'),
             ('in_form', 'raw', 'a=1', 'y', 'application/x-www-form-urlencoded'),
             ('in_json', 'raw', '{"customer_id":"cust_in"}', 'z', 'application/json; charset=utf-8')`;
    assert.equal(await count(), before + 3);
    assert.deepEqual(
      ids(await pages("/v1/events?payload_path=customer_id&payload_value=cust_in", 5)),
      ["in_json"],
    );
  });

  test("queued deliveries say why they wait", async () => {
    const make = (name: string) =>
      ok("POST", "/v1/endpoints", { url: `https://${name}.example/`, tenant: "why" });
    const [due, later, retry, open, half, off] = await Promise.all(
      ["due", "later", "retry", "open", "half", "off"].map(make),
    );
    await ok("POST", "/v1/events", { id: "why_1", type: "t", tenant: "why", payload: {} });
    const soon = new Date(Date.now() + 3_600_000);
    await db.sql`update deliveries set next_attempt_at = ${soon}
      where endpoint_id = ${later.id}`;
    await db.sql`update deliveries set next_attempt_at = ${soon}, attempts = 2
      where endpoint_id = ${retry.id}`;
    await db.sql`update endpoints set consecutive_failures = 5, circuit_open_until = ${soon}
      where id = ${open.id}`;
    await db.sql`update endpoints set consecutive_failures = 3 where id = ${half.id}`;
    await ok("POST", `/v1/endpoints/${off.id}/disable`, {});
    const rows = await pages("/v1/deliveries?status=pending", 50);
    const reason = (ep: any) => rows.find((d) => d.endpoint_id === ep.id)?.waiting;
    assert.deepEqual(reason(due), { reason: "due", until: null });
    assert.deepEqual(reason(later), { reason: "scheduled", until: soon.toISOString() });
    assert.deepEqual(reason(retry), { reason: "retry_scheduled", until: soon.toISOString() });
    assert.deepEqual(reason(open), { reason: "circuit_open", until: soon.toISOString() });
    assert.deepEqual(reason(half), { reason: "circuit_half_open", until: null });
    assert.deepEqual(reason(off), { reason: "endpoint_disabled", until: null });

    const [row] = await db.sql`select id from deliveries where endpoint_id = ${due.id}`;
    await finishDelivery(db.sql, row?.id, "succeeded");
    const done = await ok("GET", `/v1/deliveries?endpoint_id=${due.id}`);
    assert.equal(done.data[0].waiting, null);
  });
});
