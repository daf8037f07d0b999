// Operational webhooks on the wire: endpoint.circuit_opened and .circuit_closed, delivery.failed,
// endpoint.disabled and .enabled by hand, source.rejected (at most one a minute): signed like any
// event, sent to the operator's endpoint and to the tenant's own subscribers, never to an
// endpoint that takes every type or to another tenant's; a failing notice announces nothing.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { heraldForSuite, waitFor } from "../helpers.ts";
import { headersOf } from "../support/deliver.ts";
import { type ReceivedRequest, startReceiver } from "../support/receiver.ts";

const OPS_TYPES = ["endpoint.*", "delivery.failed", "source.rejected"];

describe("operational events", () => {
  const { db, herald, receiver } = heraldForSuite(
    {
      circuitFailures: 2,
      circuitCooldownMs: 300,
      maxAttempts: 3,
      retryBaseMs: 10,
      pollIntervalMs: 50,
    },
    () => startReceiver(),
  );
  let opsSecret = "";

  const endpoint = async (body: Record<string, unknown>) => {
    const res = await herald.api("POST", "/v1/endpoints", body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; secret: string };
  };
  /** The notices of `type` the path received, verified, as their bodies. */
  const received = (path: string, type: string) =>
    receiver
      .requests(path)
      .map((r: ReceivedRequest) => ({ r, body: JSON.parse(r.body.toString()) }))
      .filter((x) => x.body.type === type);
  const awaitNotice = (path: string, type: string, match: (b: any) => boolean) =>
    waitFor(() => received(path, type).find((x) => match(x.body)), 10_000, `${type} at ${path}`);

  test("a circuit that opens and closes again is announced to the operator and the tenant", async () => {
    opsSecret = (await endpoint({ url: `${receiver.url}/ops`, event_types: OPS_TYPES })).secret;
    await endpoint({ url: `${receiver.url}/m1-ops`, tenant: "m1", event_types: ["endpoint.*"] });
    await endpoint({ url: `${receiver.url}/m2-ops`, tenant: "m2", event_types: ["endpoint.*"] });
    await endpoint({ url: `${receiver.url}/everything` }); // takes every type, no tenant
    receiver.on("/flaky", (n, res) => res.writeHead(n <= 2 ? 500 : 200).end());
    const flaky = await endpoint({ url: `${receiver.url}/flaky`, tenant: "m1" });
    await herald.api("POST", "/v1/events", {
      type: "order.paid",
      tenant: "m1",
      payload: {},
      endpoint_ids: [flaky.id],
    });

    const opened = await awaitNotice(
      "/ops",
      "endpoint.circuit_opened",
      (b) => b.endpoint_id === flaky.id,
    );
    assert.equal(opened.body.tenant, "m1");
    assert.equal(opened.body.url, `${receiver.url}/flaky`);
    assert.equal(opened.body.consecutive_failures, 2);
    assert.ok(Date.parse(opened.body.next_probe_at) > Date.parse(opened.body.opened_at));
    // Signed like any other event, with the operator endpoint's secret.
    assert.deepEqual(
      new Webhook(opsSecret).verify(opened.r.body, headersOf(opened.r)),
      opened.body,
    );
    const closed = await awaitNotice(
      "/ops",
      "endpoint.circuit_closed",
      (b) => b.endpoint_id === flaky.id,
    );
    assert.ok(Date.parse(closed.body.closed_at) >= Date.parse(opened.body.opened_at));
    // The tenant's own subscriber got both; the other tenant's and the catch-all none.
    await awaitNotice("/m1-ops", "endpoint.circuit_closed", (b) => b.endpoint_id === flaky.id);
    assert.equal(received("/m1-ops", "endpoint.circuit_opened").length, 1);
    assert.equal(receiver.requests("/m2-ops").length, 0);
    assert.equal(receiver.requests("/everything").length, 0);
    // Once each, however many completions saw the change.
    const [n] = await db.sql`
      select count(*)::int as n from events
      where type like 'endpoint.circuit_%' and payload like ${`%${flaky.id}%`}`;
    assert.equal(n?.n, 4, "opened and closed, each for the operator and for the tenant");
  });

  test("a delivery that spends its attempts is announced as delivery.failed", async () => {
    receiver.on("/dead", (_n, res) => res.writeHead(400).end("no such order"));
    const dead = await endpoint({ url: `${receiver.url}/dead`, tenant: "m2" });
    const sent = await herald.api("POST", "/v1/events", {
      id: "evt_will_fail",
      type: "order.paid",
      tenant: "m2",
      payload: {},
      endpoint_ids: [dead.id],
    });
    assert.equal(sent.status, 202);
    const failed = await awaitNotice(
      "/ops",
      "delivery.failed",
      (b) => b.event_id === "evt_will_fail",
    );
    assert.equal(failed.body.endpoint_id, dead.id);
    assert.equal(failed.body.tenant, "m2");
    assert.equal(failed.body.event_type, "order.paid");
    assert.equal(failed.body.attempts, 3);
    assert.equal(failed.body.last_status_code, 400);
    assert.match(failed.body.delivery_id, /^dlv_/);
    // m2's subscriber takes endpoint.* only: no delivery.failed for it.
    assert.equal(received("/m2-ops", "delivery.failed").length, 0);
  });

  test("a notice whose own delivery fails announces nothing more", async () => {
    receiver.on("/ops-down", (_n, res) => res.writeHead(500).end());
    await endpoint({ url: `${receiver.url}/ops-down`, event_types: ["delivery.failed"] });
    receiver.on("/dead2", (_n, res) => res.writeHead(400).end());
    const dead = await endpoint({ url: `${receiver.url}/dead2` });
    await herald.api("POST", "/v1/events", {
      id: "evt_fails_again",
      type: "t",
      payload: {},
      endpoint_ids: [dead.id],
    });
    await awaitNotice("/ops", "delivery.failed", (b) => b.event_id === "evt_fails_again");
    // The notice to /ops-down fails its 3 attempts too, and is not announced in turn.
    await waitFor(async () => {
      const [row] = await db.sql`
        select count(*)::int as n from all_deliveries d join events e on e.seq = d.event_seq
        where e.type = 'delivery.failed' and d.status = 'failed'`;
      return (row?.n ?? 0) >= 1;
    }, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    const [again] = await db.sql`
      select count(*)::int as n from events
      where type = 'delivery.failed' and payload like '%"event_type":"delivery.failed"%'`;
    assert.equal(again?.n, 0);
  });

  test("disabling and enabling by hand are announced, with the reason", async () => {
    const ep = await endpoint({ url: `${receiver.url}/paused`, tenant: "m1", event_types: [] });
    await herald.api("POST", `/v1/endpoints/${ep.id}/disable`, { reason: "maintenance" });
    await herald.api("POST", `/v1/endpoints/${ep.id}/enable`);
    await herald.api("POST", `/v1/endpoints/${ep.id}/enable`); // already on: no second notice
    const off = await awaitNotice("/ops", "endpoint.disabled", (b) => b.endpoint_id === ep.id);
    assert.equal(off.body.reason, "disabled by hand: maintenance");
    assert.equal(off.body.by, "operator");
    const on = await awaitNotice("/m1-ops", "endpoint.enabled", (b) => b.endpoint_id === ep.id);
    assert.equal(on.body.previous_reason, "disabled by hand: maintenance");
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(
      received("/ops", "endpoint.enabled").filter((x) => x.body.endpoint_id === ep.id).length,
      1,
    );
  });

  test("source.rejected: the first refusal at once, then at most one notice a minute", async () => {
    const src = await herald.api("POST", "/v1/sources", {
      name: "signed",
      provider: "hmac",
      secret: "a-long-enough-secret",
      options: { header: "X-Sig" },
    });
    const reject = async () => {
      const res = await fetch(`${herald.url}${src.body.ingest_url}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-sig": "00" },
        body: "{}",
      });
      assert.equal(res.status, 401);
    };
    const notices = () =>
      received("/ops", "source.rejected").filter((x) => x.body.source_id === src.body.id);
    await reject();
    const first = await waitFor(() => notices()[0], 10_000, "the first notice");
    assert.equal(first.body.rejected, 1);
    assert.equal(first.body.since, null);
    assert.equal(first.body.provider, "hmac");
    await reject();
    await reject();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(notices().length, 1, "within the minute: counted, not announced");
    // A minute later (the last notice moved back), the next refusal announces all three.
    await db.sql`
      update sources set rejected_announced_at = rejected_announced_at - interval '61 seconds'
      where id = ${src.body.id}`;
    await reject();
    const second = await waitFor(() => notices()[1], 10_000, "the second notice");
    assert.equal(second.body.rejected, 3);
    assert.equal(second.body.rejected_total, 4);
    assert.ok(second.body.since);
  });
});
