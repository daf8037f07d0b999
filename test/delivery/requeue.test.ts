// Replay and recovery by hand: retrying one delivery, replaying an event, recovering an
// endpoint's failed deliveries in a time range. Against a running Herald whose worker polls
// only once a minute, so every resend seen here was woken by the re-queue's NOTIFY; a
// recording receiver checks that resends carry the event's webhook-id.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { heraldForSuite, type TestHerald, waitFor } from "../helpers.ts";
import { type Receiver, startReceiver } from "../support/receiver.ts";
import { snapshot } from "../support/snapshot.ts";

const TABLES = ["events", "deliveries", "delivery_history", "endpoints", "attempts", "audit_log"];

async function endpoint(
  herald: TestHerald,
  url: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await herald.api("POST", "/v1/endpoints", { url, ...extra });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

async function send(herald: TestHerald, body: Record<string, unknown>): Promise<string> {
  const res = await herald.api("POST", "/v1/events", { type: "t", payload: { n: 1 }, ...body });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  return res.body.id;
}

async function deliveryOf(herald: TestHerald, eventId: string, endpointId: string, query = "") {
  const res = await herald.api("GET", `/v1/events/${eventId}${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const d = res.body.deliveries.find((x: any) => x.endpoint_id === endpointId);
  assert.ok(d, `no delivery of ${eventId} to ${endpointId}`);
  return d;
}

async function deliveryWhen(herald: TestHerald, id: string, status: string) {
  return waitFor(
    async () => {
      const res = await herald.api("GET", `/v1/deliveries/${id}`);
      return res.body.status === status ? res.body : undefined;
    },
    8_000,
    `${id} ${status}`,
  );
}

async function auditOf(herald: TestHerald, subject: string) {
  const rows = await herald.ctx.sql<
    { actor: string; action: string; details: any }[]
  >`select actor, action, details from audit_log where subject = ${subject} order by id`;
  return rows.map((r) => ({ ...r }));
}

/** Answers 500 while `failing` holds the path, 200 otherwise. */
function switchable(receiver: Receiver, path: string) {
  const state = { failing: true };
  receiver.on(path, (_n, res) => res.writeHead(state.failing ? 500 : 200).end());
  return state;
}

describe("replay and recovery", () => {
  const { db, herald, receiver } = heraldForSuite(
    { maxAttempts: 1, pollIntervalMs: 60_000, timeoutMs: 3_000, retryBaseMs: 20 },
    () => startReceiver(),
  );

  describe("POST /v1/deliveries/:id/retry", () => {
    test("a failed delivery is sent again at once, with the same webhook-id and a fresh window", async () => {
      const down = switchable(receiver, "/retry-failed");
      const ep = await endpoint(herald, `${receiver.url}/retry-failed`);
      const evt = await send(herald, { endpoint_ids: [ep] });
      const { id } = await deliveryOf(herald, evt, ep);
      const failed = await deliveryWhen(herald, id, "failed");
      assert.equal(failed.last_error, "HTTP 500");
      // The window started with the first attempt; the retry starts a fresh one.
      const [before] =
        await db.sql`select window_started_at from delivery_history where id = ${id}`;
      assert.ok(before?.window_started_at instanceof Date);

      down.failing = false;
      const res = await herald.api("POST", `/v1/deliveries/${id}/retry`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.id, id);
      assert.equal(res.body.event_id, evt);
      assert.ok(["pending", "in_flight", "succeeded"].includes(res.body.status), res.body.status);

      const done = await deliveryWhen(herald, id, "succeeded");
      assert.deepEqual(
        done.attempts.map((a: any) => [a.number, a.status_code]),
        [
          [1, 500],
          [2, 200],
        ],
      );
      assert.deepEqual(
        receiver.requests("/retry-failed").map((r) => r.headers["webhook-id"]),
        [evt, evt],
      );
      const [after] = await db.sql`select window_started_at from delivery_history where id = ${id}`;
      assert.ok(after?.window_started_at instanceof Date);
      assert.ok(after.window_started_at > before.window_started_at, "a fresh window");

      const entries = await auditOf(herald, id);
      assert.equal(entries.length, 1);
      assert.equal(entries[0]?.action, "delivery.retried");
      assert.match(entries[0]?.actor ?? "", /\S/);
      assert.equal(entries[0]?.details.previous_status, "failed");
    });

    test("a succeeded delivery can be sent again; last error and status are cleared on re-queue", async () => {
      const ep = await endpoint(herald, `${receiver.url}/retry-ok`);
      const evt = await send(herald, { endpoint_ids: [ep] });
      const { id } = await deliveryOf(herald, evt, ep);
      await deliveryWhen(herald, id, "succeeded");
      // Hold the resend open so the re-queued state can be read before it completes.
      let release: (() => void) | undefined;
      receiver.on("/retry-ok", (_n, r) => {
        release = () => r.writeHead(200).end();
      });
      const res = await herald.api("POST", `/v1/deliveries/${id}/retry`);
      assert.equal(res.status, 200);
      assert.ok(["pending", "in_flight"].includes(res.body.status), res.body.status);
      assert.equal(res.body.last_error, null);
      assert.equal(res.body.last_status_code, null);
      await waitFor(() => release, 5_000, "the resend");
      release?.();
      await deliveryWhen(herald, id, "succeeded");
      assert.deepEqual(receiver.webhookIds().filter((w) => w === evt).length, 2);
    });

    test("pending and in-flight deliveries are 409 delivery_not_terminal; nothing changes", async () => {
      // Pending: its endpoint is disabled, so it waits.
      const off = await endpoint(herald, `${receiver.url}/retry-pending`);
      assert.equal(
        (await herald.api("PATCH", `/v1/endpoints/${off}`, { enabled: false })).status,
        200,
      );
      const evt1 = await send(herald, { endpoint_ids: [off] });
      const pending = await deliveryOf(herald, evt1, off);
      assert.equal(pending.status, "pending");

      // In flight: the endpoint holds the request open.
      receiver.on("/retry-hang", () => {});
      const hang = await endpoint(herald, `${receiver.url}/retry-hang`);
      const evt2 = await send(herald, { endpoint_ids: [hang] });
      const inFlight = await deliveryOf(herald, evt2, hang);
      await deliveryWhen(herald, inFlight.id, "in_flight");

      const before = await snapshot(db.sql, TABLES);
      for (const [id, status] of [
        [pending.id, "pending"],
        [inFlight.id, "in_flight"],
      ]) {
        const res = await herald.api("POST", `/v1/deliveries/${id}/retry`);
        assert.equal(res.status, 409, JSON.stringify(res.body));
        assert.equal(res.body.error.code, "delivery_not_terminal");
        assert.match(res.body.error.message, new RegExp(status as string));
      }
      assert.deepEqual(await snapshot(db.sql, TABLES), before);
    });

    test("an unknown delivery is 404; one whose endpoint was deleted is 409 endpoint_deleted", async () => {
      const unknown = await herald.api("POST", "/v1/deliveries/dlv_nope/retry");
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, "delivery_not_found");

      const gone = await endpoint(herald, `${receiver.url}/retry-deleted`);
      assert.equal(
        (await herald.api("PATCH", `/v1/endpoints/${gone}`, { enabled: false })).status,
        200,
      );
      const evt = await send(herald, { endpoint_ids: [gone] });
      const d = await deliveryOf(herald, evt, gone);
      assert.equal((await herald.api("DELETE", `/v1/endpoints/${gone}`)).status, 204);
      await deliveryWhen(herald, d.id, "cancelled");

      const before = await snapshot(db.sql, TABLES);
      const res = await herald.api("POST", `/v1/deliveries/${d.id}/retry`);
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal(res.body.error.code, "endpoint_deleted");
      assert.deepEqual(await snapshot(db.sql, TABLES), before);
      assert.equal(receiver.requests("/retry-deleted").length, 0);
    });
  });

  describe("POST /v1/events/:id/replay", () => {
    test("re-sends to every endpoint the event has a delivery for, with the event's webhook-id", async () => {
      const a = await endpoint(herald, `${receiver.url}/replay-a`, { tenant: "rp" });
      const b = await endpoint(herald, `${receiver.url}/replay-b`, { tenant: "rp" });
      const evt = await send(herald, { tenant: "rp", type: "replay.all" });
      const [da, db_] = [await deliveryOf(herald, evt, a), await deliveryOf(herald, evt, b)];
      await deliveryWhen(herald, da.id, "succeeded");
      await deliveryWhen(herald, db_.id, "succeeded");

      const res = await herald.api("POST", `/v1/events/${evt}/replay`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { event_id: evt, deliveries: 2 });
      await waitFor(
        () =>
          receiver.requests("/replay-a").length === 2 &&
          receiver.requests("/replay-b").length === 2,
        5_000,
        "both endpoints got the replay",
      );
      for (const path of ["/replay-a", "/replay-b"]) {
        const [first, second] = receiver.requests(path);
        assert.equal(second?.headers["webhook-id"], evt);
        assert.deepEqual(second?.body, first?.body);
      }
      const entries = await auditOf(herald, evt);
      assert.deepEqual(
        entries.map((e) => [e.action, e.details.deliveries]),
        [["event.replayed", 2]],
      );
    });

    test("endpoint_ids narrows the replay and makes a delivery where none existed; ?tenant= picks the event", async () => {
      const a = await endpoint(herald, `${receiver.url}/narrow-a`, { tenant: "nw" });
      const b = await endpoint(herald, `${receiver.url}/narrow-b`, { tenant: "nw" });
      // c does not subscribe to the event's type: it had no delivery.
      const c = await endpoint(herald, `${receiver.url}/narrow-c`, {
        tenant: "nw",
        event_types: ["other"],
      });
      const evt = await send(herald, { tenant: "nw", type: "narrow" });
      await deliveryWhen(herald, (await deliveryOf(herald, evt, a)).id, "succeeded");
      await deliveryWhen(herald, (await deliveryOf(herald, evt, b)).id, "succeeded");

      const res = await herald.api("POST", `/v1/events/${evt}/replay?tenant=nw`, {
        endpoint_ids: [b, c],
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { event_id: evt, deliveries: 2 });
      const dc = await deliveryOf(herald, evt, c);
      await deliveryWhen(herald, dc.id, "succeeded");
      await waitFor(() => receiver.requests("/narrow-b").length === 2, 5_000, "b resent");
      assert.equal(receiver.requests("/narrow-a").length, 1);
      assert.deepEqual(
        receiver.requests("/narrow-c").map((r) => r.headers["webhook-id"]),
        [evt],
      );
    });

    test("in-flight deliveries are left alone and not counted", async () => {
      receiver.on("/replay-hang", () => {});
      const hang = await endpoint(herald, `${receiver.url}/replay-hang`, { tenant: "rh" });
      const fine = await endpoint(herald, `${receiver.url}/replay-fine`, { tenant: "rh" });
      const evt = await send(herald, { tenant: "rh" });
      const dh = await deliveryOf(herald, evt, hang);
      const df = await deliveryOf(herald, evt, fine);
      await deliveryWhen(herald, dh.id, "in_flight");
      await deliveryWhen(herald, df.id, "succeeded");
      const [leaseBefore] = await db.sql`select attempts, lease_expires_at, worker_id
        from deliveries where id = ${dh.id}`;

      const res = await herald.api("POST", `/v1/events/${evt}/replay`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.deliveries, 1);
      const [leaseAfter] = await db.sql`select status, attempts, lease_expires_at, worker_id
        from deliveries where id = ${dh.id}`;
      assert.deepEqual({ ...leaseAfter }, { status: "in_flight", ...leaseBefore });
      await waitFor(() => receiver.requests("/replay-fine").length === 2, 5_000, "fine resent");
      // The hanging endpoint goes, and its attempt ends (timed out): later tests that compare
      // whole tables see no attempt of it recorded meanwhile.
      assert.equal((await herald.api("DELETE", `/v1/endpoints/${hang}`)).status, 204);
      await waitFor(
        async () => {
          const [r] = await db.sql`select count(*)::int as n from deliveries
            where endpoint_id = ${hang} and status = 'in_flight'`;
          return r?.n === 0;
        },
        10_000,
        "the hanging attempt to time out",
      );
    });

    test("bad replays are clear errors and change nothing", async () => {
      const mine = await endpoint(herald, `${receiver.url}/bad-replay`, { tenant: "br" });
      const theirs = await endpoint(herald, `${receiver.url}/bad-replay`, { tenant: "other" });
      const deleted = await endpoint(herald, `${receiver.url}/bad-replay`, { tenant: "br" });
      assert.equal((await herald.api("DELETE", `/v1/endpoints/${deleted}`)).status, 204);
      const evt = await send(herald, { tenant: "br", endpoint_ids: [mine] });
      await deliveryWhen(herald, (await deliveryOf(herald, evt, mine)).id, "succeeded");
      // The same id in two tenants.
      await send(herald, { id: "shared-id", tenant: "br", endpoint_ids: [mine] });
      await send(herald, { id: "shared-id", tenant: "other", endpoint_ids: [theirs] });
      await waitFor(async () => {
        const [r] = await db.sql`select count(*)::int as n from deliveries
          where endpoint_id = any(${[mine, theirs]}) and status in ('pending', 'in_flight')`;
        return r?.n === 0;
      });

      const before = await snapshot(db.sql, TABLES);
      const cases: [string, unknown, number, string][] = [
        ["/v1/events/evt_unknown/replay", undefined, 404, "event_not_found"],
        [`/v1/events/${evt}/replay?tenant=other`, undefined, 404, "event_not_found"],
        ["/v1/events/shared-id/replay", undefined, 409, "ambiguous_event_id"],
        [`/v1/events/${evt}/replay`, { endpoint_ids: ["ep_unknown"] }, 400, "invalid_request"],
        [`/v1/events/${evt}/replay`, { endpoint_ids: [theirs] }, 400, "invalid_request"],
        [`/v1/events/${evt}/replay`, { endpoint_ids: [deleted] }, 400, "invalid_request"],
        [`/v1/events/${evt}/replay`, { endpoint_ids: [] }, 400, "invalid_request"],
        [`/v1/events/${evt}/replay`, { endpoint_ids: [mine, mine] }, 400, "invalid_request"],
        [`/v1/events/${evt}/replay`, { endpoints: [mine] }, 400, "invalid_request"],
      ];
      for (const [path, body, status, code] of cases) {
        const res = await herald.api("POST", path, body);
        assert.equal(
          res.status,
          status,
          `${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`,
        );
        assert.equal(res.body.error.code, code, path);
      }
      assert.deepEqual(await snapshot(db.sql, TABLES), before);
    });
  });

  describe("POST /v1/endpoints/:id/recover", () => {
    let ep: string;
    let down: { failing: boolean };
    const ids: string[] = [];

    before(async () => {
      down = switchable(receiver, "/recover");
      ep = await endpoint(herald, `${receiver.url}/recover`);
      for (let i = 0; i < 4; i++) {
        const evt = await send(herald, { endpoint_ids: [ep], payload: { i } });
        ids.push((await deliveryOf(herald, evt, ep)).id);
      }
      for (const id of ids) await deliveryWhen(herald, id, "failed");
      // Place them in time: three on 1 March 2024, one on 3 March.
      await db.sql`update delivery_history set created_at = '2024-03-01T12:00:00Z'
        where id = any(${ids.slice(0, 3)})`;
      await db.sql`update delivery_history set created_at = '2024-03-03T12:00:00Z' where id = ${ids[3] as string}`;
    });

    test("re-queues the failed deliveries created in [since, until) and answers the count", async () => {
      down.failing = false;
      const res = await herald.api("POST", `/v1/endpoints/${ep}/recover`, {
        since: "2024-03-01T00:00:00Z",
        until: "2024-03-02T00:00:00Z",
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { endpoint_id: ep, recovered: 3 });
      for (const id of ids.slice(0, 3)) await deliveryWhen(herald, id, "succeeded");
      const last = await herald.api("GET", `/v1/deliveries/${ids[3]}`);
      assert.equal(last.body.status, "failed");

      // Without until: from since on. The three succeeded ones are not failed any more.
      const rest = await herald.api("POST", `/v1/endpoints/${ep}/recover`, {
        since: "2024-03-01T00:00:00+01:00",
      });
      assert.deepEqual(rest.body, { endpoint_id: ep, recovered: 1 });
      await deliveryWhen(herald, ids[3] as string, "succeeded");

      const again = await herald.api("POST", `/v1/endpoints/${ep}/recover`, {
        since: "2000-01-01T00:00:00Z",
      });
      assert.deepEqual(again.body, { endpoint_id: ep, recovered: 0 });

      // Every resend carried its event's id: each event was received twice, nothing else.
      const byId = new Map<string, number>();
      for (const r of receiver.requests("/recover")) {
        const id = String(r.headers["webhook-id"]);
        byId.set(id, (byId.get(id) ?? 0) + 1);
      }
      assert.deepEqual([...byId.values()], [2, 2, 2, 2]);

      const entries = await auditOf(herald, ep);
      assert.deepEqual(
        entries
          .filter((e) => e.action === "endpoint.recovered")
          .map((e) => [e.details.since, e.details.until, e.details.recovered]),
        [
          ["2024-03-01T00:00:00.000Z", "2024-03-02T00:00:00.000Z", 3],
          ["2024-02-29T23:00:00.000Z", null, 1],
          ["2000-01-01T00:00:00.000Z", null, 0],
        ],
      );
    });

    test("since after until is 400, an unknown or deleted endpoint 404; nothing changes", async () => {
      const deleted = await endpoint(herald, `${receiver.url}/recover-deleted`);
      assert.equal((await herald.api("DELETE", `/v1/endpoints/${deleted}`)).status, 204);
      const before = await snapshot(db.sql, TABLES);
      const cases: [string, unknown, number, string][] = [
        [
          ep,
          { since: "2024-03-02T00:00:00Z", until: "2024-03-01T00:00:00Z" },
          400,
          "invalid_request",
        ],
        [ep, {}, 400, "invalid_request"],
        [ep, { since: "yesterday" }, 400, "invalid_request"],
        [ep, { since: "2024-03-01" }, 400, "invalid_request"],
        [ep, { since: "2024-03-01T00:00:00" }, 400, "invalid_request"],
        [ep, { since: 1709251200 }, 400, "invalid_request"],
        [ep, { since: "2024-03-01T00:00:00Z", extra: 1 }, 400, "invalid_request"],
        ["ep_unknown", { since: "2024-03-01T00:00:00Z" }, 404, "endpoint_not_found"],
        [deleted, { since: "2024-03-01T00:00:00Z" }, 404, "endpoint_not_found"],
      ];
      for (const [id, body, status, code] of cases) {
        const res = await herald.api("POST", `/v1/endpoints/${id}/recover`, body);
        assert.equal(res.status, status, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, code, JSON.stringify(body));
      }
      assert.deepEqual(await snapshot(db.sql, TABLES), before);
    });
  });
});
