// The circuit breaker and auto-disable: failing endpoints stop costing attempts, are probed,
// recover; endpoints failing for too long or answering 410 are disabled and announced.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { heraldForSuite, waitFor } from "../helpers.ts";
import { startReceiver } from "../support/receiver.ts";

async function attemptsOf(sql: any, endpointId: string): Promise<number> {
  const [row] =
    await sql`select count(*)::int as n from attempts where endpoint_id = ${endpointId}`;
  return row.n;
}

describe("circuit breaker", () => {
  const { db, herald, receiver } = heraldForSuite(
    { circuitFailures: 3, circuitCooldownMs: 1000, circuitMaxCooldownMs: 10_000, retryBaseMs: 10 },
    () => startReceiver(),
  );

  test("opens after consecutive failures, spends no attempts while open, probes once, closes on success", async () => {
    let healthy = false;
    receiver.on("/flaky", (_n, res) => res.writeHead(healthy ? 200 : 500).end());
    const created = await herald.api("POST", "/v1/endpoints", {
      url: `${receiver.url}/flaky`,
      event_types: [],
      max_in_flight: 1,
    });
    const ep = created.body.id as string;
    for (let i = 0; i < 5; i++) {
      const res = await herald.api("POST", "/v1/events", {
        type: "t",
        payload: { i },
        endpoint_ids: [ep],
      });
      assert.equal(res.status, 202);
    }

    const open = await waitFor(
      async () => {
        const got = await herald.api("GET", `/v1/endpoints/${ep}`);
        return got.body.circuit.state === "open" ? got.body : null;
      },
      10_000,
      "circuit open",
    );
    assert.ok(open.circuit.consecutive_failures >= 3);
    const probeAt = Date.parse(open.circuit.next_probe_at);
    assert.ok(probeAt > Date.now(), "the next probe is in the future");
    // Opening the circuit is a visible change of the endpoint (the live stream watches updated_at).
    assert.ok(Date.parse(open.updated_at) > Date.parse(created.body.updated_at));
    const whileOpen = await attemptsOf(db.sql, ep);
    assert.equal(whileOpen, 3, "exactly the failures that opened it");
    // Until the probe is due, no attempt is spent and deliveries stay pending.
    await new Promise((r) => setTimeout(r, Math.max(0, probeAt - Date.now() - 150)));
    assert.equal(await attemptsOf(db.sql, ep), whileOpen);
    const [pending] =
      await db.sql`select count(*)::int as n from all_deliveries where endpoint_id = ${ep} and status = 'pending'`;
    assert.equal(pending?.n, 5);

    // The probe fails: exactly one attempt, and the circuit opens again for twice as long.
    await waitFor(async () => (await attemptsOf(db.sql, ep)) === whileOpen + 1, 5_000, "one probe");
    const reopened = await waitFor(
      async () => {
        const [row] =
          await db.sql`select circuit_cooldown_ms, circuit_open_until from endpoints where id = ${ep}`;
        return row?.circuit_cooldown_ms === 2000 && (row.circuit_open_until as Date) > new Date()
          ? row
          : null;
      },
      5_000,
      "re-opened with a doubled cool-down",
    );
    assert.ok(reopened);
    assert.equal(
      await attemptsOf(db.sql, ep),
      whileOpen + 1,
      "a failed probe lets no second attempt through",
    );

    // The endpoint recovers: the next probe succeeds, the circuit closes, the backlog flows.
    healthy = true;
    await waitFor(
      async () => {
        const [row] =
          await db.sql`select count(*)::int as n from all_deliveries where endpoint_id = ${ep} and status = 'succeeded'`;
        return row?.n === 5;
      },
      10_000,
      "backlog delivered",
    );
    const closed = await herald.api("GET", `/v1/endpoints/${ep}`);
    assert.deepEqual(closed.body.circuit, {
      state: "closed",
      consecutive_failures: 0,
      next_probe_at: null,
    });
  });
});

describe("auto-disable", () => {
  const { db, herald, receiver } = heraldForSuite(
    { circuitFailures: 1000, disableAfterMs: 300, retryBaseMs: 10 },
    () => startReceiver(),
  );

  async function operatorInbox(): Promise<string> {
    receiver.on("/ops", (_n, res) => res.writeHead(200).end());
    const res = await herald.api("POST", "/v1/endpoints", {
      url: `${receiver.url}/ops`,
      event_types: ["endpoint.disabled"],
    });
    return res.body.id;
  }

  test("an endpoint failing without success for HERALD_DISABLE_AFTER is disabled, audited and announced", async () => {
    await operatorInbox();
    receiver.on("/down", (_n, res) => res.writeHead(500).end());
    const created = await herald.api("POST", "/v1/endpoints", {
      url: `${receiver.url}/down`,
      tenant: "m1",
      event_types: ["order.paid"],
    });
    const ep = created.body.id as string;
    await herald.api("POST", "/v1/events", { type: "order.paid", tenant: "m1", payload: { n: 1 } });

    const disabled = await waitFor(
      async () => {
        const got = await herald.api("GET", `/v1/endpoints/${ep}`);
        return got.body.enabled === false ? got.body : null;
      },
      10_000,
      "endpoint disabled",
    );
    assert.match(disabled.disabled_reason, /^failing without success since /);

    // The delivery waits, spending no more attempts.
    const attempts = await attemptsOf(db.sql, ep);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await attemptsOf(db.sql, ep), attempts);
    const [d] = await db.sql`select status from all_deliveries where endpoint_id = ${ep}`;
    assert.equal(d?.status, "pending");

    const audit =
      await db.sql`select actor, action, details from audit_log where subject = ${ep} and action = 'endpoint.disabled'`;
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.actor, "system");

    // Operators subscribed to endpoint.disabled receive it.
    const notice = await waitFor(
      () => receiver.requests("/ops").find((r) => JSON.parse(r.body.toString()).endpoint_id === ep),
      10_000,
      "endpoint.disabled delivered",
    );
    const body = JSON.parse((notice as { body: Buffer }).body.toString());
    assert.equal(body.tenant, "m1");
    assert.equal(body.reason, disabled.disabled_reason);
  });

  test("disabling by hand also announces endpoint.disabled (once), with the reason", async () => {
    const created = await herald.api("POST", "/v1/endpoints", {
      url: `${receiver.url}/manual`,
      event_types: [],
    });
    const ep = created.body.id as string;
    const off = await herald.api("POST", `/v1/endpoints/${ep}/disable`, { reason: "maintenance" });
    assert.equal(off.status, 200);
    await herald.api("POST", `/v1/endpoints/${ep}/disable`, { reason: "again" }); // already off: no second notice
    const notices = await waitFor(
      async () => {
        const found = receiver
          .requests("/ops")
          .filter((r) => JSON.parse(r.body.toString()).endpoint_id === ep);
        return found.length ? found : null;
      },
      10_000,
      "notice delivered",
    );
    assert.equal(
      JSON.parse((notices[0] as { body: Buffer }).body.toString()).reason,
      "disabled by hand: maintenance",
    );
    const [row] =
      await db.sql`select count(*)::int as n from events where type = 'endpoint.disabled' and payload like ${`%${ep}%`}`;
    assert.equal(row?.n, 1);
  });

  test("410 Gone disables at once; the delivery waits and flows again once re-enabled", async () => {
    let gone = true;
    receiver.on("/gone", (_n, res) => res.writeHead(gone ? 410 : 200).end());
    const created = await herald.api("POST", "/v1/endpoints", {
      url: `${receiver.url}/gone`,
      event_types: [],
    });
    const ep = created.body.id as string;
    await herald.api("POST", "/v1/events", { type: "t", payload: {}, endpoint_ids: [ep] });

    const disabled = await waitFor(
      async () => {
        const got = await herald.api("GET", `/v1/endpoints/${ep}`);
        return got.body.enabled === false ? got.body : null;
      },
      10_000,
      "disabled by 410",
    );
    assert.equal(disabled.disabled_reason, "the endpoint answered 410 Gone");
    assert.equal(await attemptsOf(db.sql, ep), 1);
    const [d] = await db.sql`select status from all_deliveries where endpoint_id = ${ep}`;
    assert.equal(d?.status, "pending");

    gone = false;
    const enabled = await herald.api("PATCH", `/v1/endpoints/${ep}`, { enabled: true });
    assert.equal(enabled.status, 200);
    await waitFor(
      async () => {
        const [row] = await db.sql`select status from all_deliveries where endpoint_id = ${ep}`;
        return row?.status === "succeeded";
      },
      10_000,
      "delivered after re-enabling",
    );
  });
});
