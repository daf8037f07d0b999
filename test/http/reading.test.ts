// Reading back through the API: lists are newest first and keyset-paged (following
// next_cursor visits every row exactly once), filters narrow them, and single reads show
// the details (an event's payload and deliveries, a delivery's attempts).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { startMockReceiver } from "../../src/mock-receiver/server.ts";
import { heraldForSuite, startTestHerald, waitFor } from "../helpers.ts";
import { finishDelivery } from "../support/history.ts";

describe("reading", () => {
  const { db, herald, receiver } = heraldForSuite({ role: "api" }, () =>
    startMockReceiver({ port: 0 }),
  );

  /** Follows next_cursor from the first page; fails on a page over `limit` or a loop. */
  async function allPages(path: string, limit: number): Promise<any[][]> {
    const pages: any[][] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes("?") ? "&" : "?";
      const url: string = `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const res = await herald.api("GET", url);
      assert.equal(res.status, 200, `${url}: ${JSON.stringify(res.body)}`);
      assert.ok(Array.isArray(res.body.data));
      assert.ok(res.body.data.length <= limit);
      pages.push(res.body.data);
      assert.ok(pages.length < 1000, "paging does not end");
      cursor = res.body.next_cursor;
      assert.ok(cursor === null || typeof cursor === "string");
    } while (cursor !== null);
    return pages;
  }

  async function endpoint(body: Record<string, unknown>): Promise<any> {
    const res = await herald.api("POST", "/v1/endpoints", { url: `${receiver.url}/h`, ...body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  }

  async function event(body: Record<string, unknown>): Promise<any> {
    const res = await herald.api("POST", "/v1/events", { type: "t", payload: {}, ...body });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    return res.body;
  }

  test("GET /v1/events pages newest first through every event exactly once", async () => {
    const sent: string[] = [];
    for (let i = 0; i < 12; i++) {
      sent.push((await event({ tenant: "pg", type: i % 3 ? "a.b" : "c.d", payload: { i } })).id);
    }
    const pages = await allPages("/v1/events?tenant=pg", 5);
    assert.deepEqual(
      pages.map((p) => p.length),
      [5, 5, 2],
    );
    const seen = pages.flat();
    assert.deepEqual(
      seen.map((e) => e.id),
      [...sent].reverse(),
    );
    for (const e of seen) {
      assert.equal(e.tenant, "pg");
      assert.equal(typeof e.created_at, "string");
      assert.equal(new Date(e.created_at).toISOString(), e.created_at);
      assert.deepEqual(e.payload, { i: sent.length - 1 - seen.indexOf(e) });
    }

    // A last page that is exactly full has no next_cursor (no empty trailing page).
    assert.deepEqual(
      (await allPages("/v1/events?tenant=pg", 4)).map((p) => p.length),
      [4, 4, 4],
    );

    // Without filters, paging visits every event in the database once.
    await event({ tenant: "other" });
    await event({});
    const all = (await allPages("/v1/events", 3)).flat().map((e) => e.id);
    const [{ n }] = (await db.sql`select count(*)::int as n from events`) as unknown as [
      { n: number },
    ];
    assert.equal(all.length, n);
    assert.equal(new Set(all).size, n);
  });

  test("GET /v1/events filters by tenant and by type", async () => {
    const a1 = await event({ tenant: "fa", type: "x.created" });
    const a2 = await event({ tenant: "fa", type: "x.deleted" });
    const a3 = await event({ tenant: "fa", type: "x.created" });
    const b1 = await event({ tenant: "fb", type: "x.created" });

    const tenant = await herald.api("GET", "/v1/events?tenant=fa");
    assert.deepEqual(
      tenant.body.data.map((e: any) => e.id),
      [a3.id, a2.id, a1.id],
    );
    assert.equal(tenant.body.next_cursor, null);

    const both = await herald.api("GET", "/v1/events?tenant=fa&type=x.created");
    assert.deepEqual(
      both.body.data.map((e: any) => e.id),
      [a3.id, a1.id],
    );

    const type = await herald.api("GET", "/v1/events?type=x.created");
    const ids = type.body.data.map((e: any) => e.id);
    assert.deepEqual(ids, [b1.id, a3.id, a1.id]);
    for (const e of type.body.data) assert.equal(e.type, "x.created");

    const none = await herald.api("GET", "/v1/events?tenant=nobody");
    assert.deepEqual(none.body, { data: [], next_cursor: null });
  });

  test("GET /v1/events?status= keeps events with a delivery in that status", async () => {
    const ep = await endpoint({ tenant: "st" });
    const pending = await event({ tenant: "st", type: "s.one" });
    const failed = await event({ tenant: "st", type: "s.two" });
    const none = await event({ tenant: "st-none", type: "s.three" }); // no endpoint: no delivery
    const [row] = await db.sql`select id from deliveries
      where endpoint_id = ${ep.id} and event_seq = (select seq from events where id = ${failed.id})`;
    await finishDelivery(db.sql, row?.id, "failed");

    const ids = async (q: string) =>
      (await herald.api("GET", `/v1/events?${q}`)).body.data.map((e: any) => e.id);
    assert.deepEqual(await ids("tenant=st&status=failed"), [failed.id]);
    assert.deepEqual(await ids("tenant=st&status=pending"), [pending.id]);
    assert.deepEqual(await ids("status=succeeded&tenant=st"), []);
    assert.ok(!(await ids("status=pending")).includes(none.id));
    assert.equal((await herald.api("GET", "/v1/events?status=nope")).status, 400);
  });

  test("GET /v1/events/:id shows the payload and each delivery with its status", async () => {
    const kept = await endpoint({ tenant: "show" });
    const dropped = await endpoint({ tenant: "show" });
    await endpoint({ tenant: "show", event_types: ["something.else"] });
    const payload = { amount: 1250, currency: "EUR", nested: { list: [1, "two", null, true] } };
    const sent = await event({ id: "show-1", tenant: "show", type: "payment.done", payload });
    assert.equal(sent.deliveries, 2);
    assert.equal((await herald.api("DELETE", `/v1/endpoints/${dropped.id}`)).status, 204);

    const got = await herald.api("GET", "/v1/events/show-1?tenant=show");
    assert.equal(got.status, 200);
    assert.equal(got.body.id, "show-1");
    assert.equal(got.body.tenant, "show");
    assert.equal(got.body.type, "payment.done");
    assert.deepEqual(got.body.payload, payload);
    assert.equal(typeof got.body.created_at, "string");
    assert.equal(got.body.deliveries.length, 2);

    const byEndpoint = new Map(got.body.deliveries.map((d: any) => [d.endpoint_id, d]));
    const pending: any = byEndpoint.get(kept.id);
    const cancelled: any = byEndpoint.get(dropped.id);
    assert.equal(pending.status, "pending");
    assert.equal(pending.attempt_count, 0);
    assert.equal(typeof pending.next_attempt_at, "string");
    assert.match(pending.id, /^dlv_/);
    assert.equal(cancelled.status, "cancelled");
    assert.equal(cancelled.next_attempt_at, null);

    // Without ?tenant=, an id held by one tenant only is found too.
    const plain = await herald.api("GET", "/v1/events/show-1");
    assert.equal(plain.status, 200);
    assert.equal(plain.body.deliveries.length, 2);
  });

  test("GET /v1/deliveries filters by status and endpoint and shows attempts", async () => {
    const ok = await endpoint({ tenant: "dl" });
    const parked = await endpoint({ tenant: "dl" });
    const sent: string[] = [];
    for (let i = 0; i < 7; i++) sent.push((await event({ tenant: "dl", payload: { i } })).id);
    // A disabled endpoint's deliveries wait in pending: the worker below leaves them alone.
    assert.equal(
      (await herald.api("PATCH", `/v1/endpoints/${parked.id}`, { enabled: false })).status,
      200,
    );
    const one = await event({ tenant: "dl", endpoint_ids: [ok.id], payload: { only: true } });
    assert.equal(one.deliveries, 1);

    const worker = await startTestHerald(db.url, { role: "worker" });
    try {
      await waitFor(
        async () => {
          const res = await herald.api(
            "GET",
            `/v1/deliveries?endpoint_id=${ok.id}&status=succeeded&limit=50`,
          );
          return res.body.data.length === 8;
        },
        10_000,
        "deliveries to the receiver to succeed",
      );
    } finally {
      await worker.stop();
    }

    const succeeded = (await allPages(`/v1/deliveries?endpoint_id=${ok.id}`, 3)).flat();
    assert.equal(succeeded.length, 8);
    assert.equal(new Set(succeeded.map((d) => d.id)).size, 8);
    for (const d of succeeded) {
      assert.equal(d.endpoint_id, ok.id);
      assert.equal(d.status, "succeeded");
      assert.equal(d.attempt_count, 1);
      assert.equal(d.last_status_code, 200);
      assert.equal(d.next_attempt_at, null);
    }
    assert.deepEqual(succeeded.map((d) => d.event_id).sort(), [...sent, one.id].sort());

    const waiting = (await allPages(`/v1/deliveries?endpoint_id=${parked.id}`, 2)).flat();
    assert.equal(waiting.length, 7);
    for (const d of waiting) {
      assert.equal(d.status, "pending");
      assert.equal(d.attempt_count, 0);
    }

    // Pages are keyset-ordered by id, newest first, with no repeats.
    const all = (await allPages("/v1/deliveries", 4)).flat();
    const ids = all.map((d) => d.id);
    assert.deepEqual(ids, [...ids].sort().reverse());
    const [{ n }] = (await db.sql`select count(*)::int as n from all_deliveries`) as unknown as [
      { n: number },
    ];
    assert.equal(ids.length, n);
    assert.equal(new Set(ids).size, n);

    // The worker also delivered earlier tests' pending deliveries: compare with the table.
    const bySucceeded = (await allPages("/v1/deliveries?status=succeeded", 5)).flat();
    assert.ok(bySucceeded.every((d) => d.status === "succeeded"));
    const stored = await db.sql<{ id: string }[]>`
      select id from delivery_history where status = 'succeeded'`;
    assert.deepEqual(bySucceeded.map((d) => d.id).sort(), stored.map((r) => r.id).sort());
    for (const d of succeeded) assert.ok(bySucceeded.some((x) => x.id === d.id));
    const byPending = await herald.api("GET", `/v1/deliveries?status=pending&endpoint_id=${ok.id}`);
    assert.deepEqual(byPending.body, { data: [], next_cursor: null });
    const parkedPending = (
      await allPages(`/v1/deliveries?status=pending&endpoint_id=${parked.id}`, 50)
    ).flat();
    assert.equal(parkedPending.length, 7);

    // One delivery in detail: its attempt is listed.
    const target = succeeded.find((d) => d.event_id === one.id);
    const detail = await herald.api("GET", `/v1/deliveries/${target.id}`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.id, target.id);
    assert.equal(detail.body.event_id, one.id);
    assert.equal(detail.body.endpoint_id, ok.id);
    assert.equal(detail.body.status, "succeeded");
    assert.equal(detail.body.attempts.length, 1);
    const [attempt] = detail.body.attempts;
    assert.equal(attempt.number, 1);
    assert.equal(attempt.status_code, 200);
    assert.equal(attempt.error_kind, null);
    assert.equal(typeof attempt.duration_ms, "number");
    assert.equal(new Date(attempt.started_at).toISOString(), attempt.started_at);

    const untried = await herald.api("GET", `/v1/deliveries/${waiting[0].id}`);
    assert.equal(untried.status, 200);
    assert.deepEqual(untried.body.attempts, []);
    assert.ok(receiver.delivered().has(one.id));
  });

  test("GET /v1/endpoints filters by tenant and pages through every endpoint once", async () => {
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await endpoint({ tenant: "list-a" })).id);
    const b = await endpoint({ tenant: "list-b" });
    const gone = await endpoint({ tenant: "list-a" });
    assert.equal((await herald.api("DELETE", `/v1/endpoints/${gone.id}`)).status, 204);

    const pages = await allPages("/v1/endpoints?tenant=list-a", 3);
    assert.deepEqual(
      pages.map((p) => p.length),
      [3, 3, 1],
    );
    const seen = pages.flat();
    for (const ep of seen) assert.equal(ep.tenant, "list-a");
    const ids = seen.map((ep) => ep.id);
    assert.deepEqual(ids, [...made].sort().reverse());

    const onlyB = await herald.api("GET", "/v1/endpoints?tenant=list-b");
    assert.deepEqual(
      onlyB.body.data.map((ep: any) => ep.id),
      [b.id],
    );

    const all = (await allPages("/v1/endpoints", 4)).flat().map((ep) => ep.id);
    const [{ n }] = (await db.sql`
      select count(*)::int as n from endpoints where deleted_at is null`) as unknown as [
      { n: number },
    ];
    assert.equal(all.length, n);
    assert.equal(new Set(all).size, n);
    assert.ok(!all.includes(gone.id));
  });

  test("an endpoint reads back as created, and PATCH changes what it names", async () => {
    const created = await endpoint({
      tenant: "rt",
      description: "first",
      event_types: ["a.created"],
    });
    assert.match(created.id, /^ep_/);
    assert.match(created.secret, /^whsec_/);
    const { secret: _, ...shown } = created;
    const got = await herald.api("GET", `/v1/endpoints/${created.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, shown);
    assert.equal(got.body.enabled, true);

    const url = `${receiver.url}/moved`;
    const patched = await herald.api("PATCH", `/v1/endpoints/${created.id}`, {
      event_types: ["a.created", "a.deleted"],
      description: "second",
      url,
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(patched.body.event_types, ["a.created", "a.deleted"]);
    assert.equal(patched.body.description, "second");
    assert.equal(patched.body.url, url);
    assert.equal(patched.body.tenant, "rt");
    assert.equal(patched.body.created_at, created.created_at);
    assert.ok(patched.body.updated_at >= created.updated_at);
    assert.deepEqual((await herald.api("GET", `/v1/endpoints/${created.id}`)).body, patched.body);

    // Fields left out stay; null clears.
    const cleared = await herald.api("PATCH", `/v1/endpoints/${created.id}`, {
      description: null,
      event_types: null,
    });
    assert.equal(cleared.status, 200);
    assert.equal(cleared.body.description, null);
    assert.equal(cleared.body.event_types, null);
    assert.equal(cleared.body.url, url);
    assert.deepEqual((await herald.api("GET", `/v1/endpoints/${created.id}`)).body, cleared.body);

    // The new event_types take effect for fan-out.
    await herald.api("PATCH", `/v1/endpoints/${created.id}`, { event_types: ["only.this"] });
    assert.equal((await event({ tenant: "rt", type: "a.created" })).deliveries, 0);
    assert.equal((await event({ tenant: "rt", type: "only.this" })).deliveries, 1);
  });
});
