// Switching an endpoint off and on by hand: while off its deliveries wait in pending and spend
// no attempt; switching on clears the reason, resets the circuit and wakes the workers, so the
// deliveries that waited go out at once. PATCH `enabled` does the same. Unknown or deleted
// endpoints are 404 and bad bodies 400, changing nothing.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { heraldForSuite, waitFor } from "../helpers.ts";
import { startReceiver } from "../support/receiver.ts";
import { snapshot } from "../support/snapshot.ts";

describe("enable and disable", () => {
  // Idle workers poll once a minute: a delivery that goes out within seconds of an enable was
  // woken by the enable's NOTIFY, not by a poll.
  const { db, herald, receiver } = heraldForSuite({ pollIntervalMs: 60_000 }, () =>
    startReceiver(),
  );

  // Subscribed to the tests' type only: an endpoint receiving every untenanted event would
  // also get (once enabled again) the endpoint.disabled announcements these tests cause.
  async function endpoint(path: string): Promise<string> {
    const res = await herald.api("POST", "/v1/endpoints", {
      url: `${receiver.url}${path}`,
      event_types: ["t"],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id;
  }

  /** Posts an event to `ids`; returns its delivery ids in the order of `ids`. */
  async function post(ids: string[]): Promise<string[]> {
    const res = await herald.api("POST", "/v1/events", {
      type: "t",
      payload: {},
      endpoint_ids: ids,
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const ev = await herald.api("GET", `/v1/events/${res.body.id}`);
    return ids.map(
      (id) => ev.body.deliveries.find((d: { endpoint_id: string }) => d.endpoint_id === id).id,
    );
  }

  const delivery = async (id: string) => (await herald.api("GET", `/v1/deliveries/${id}`)).body;

  test("disable with a reason: the endpoint shows it, its deliveries wait without attempts", async () => {
    const off = await endpoint("/off");
    const control = await endpoint("/control");
    const res = await herald.api("POST", `/v1/endpoints/${off}/disable`, { reason: "maintenance" });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.enabled, false);
    assert.equal(res.body.disabled_reason, "disabled by hand: maintenance");
    assert.ok(Date.parse(res.body.disabled_at) > Date.now() - 60_000);
    assert.deepEqual((await herald.api("GET", `/v1/endpoints/${off}`)).body, res.body);

    // The waiting delivery was due first: had it been claimable, the claim that took the
    // control endpoint's delivery would have taken it too.
    const [waiting] = await post([off]);
    const [sent] = await post([control]);
    await waitFor(async () => (await delivery(sent as string)).status === "succeeded");
    const d = await delivery(waiting as string);
    assert.equal(d.status, "pending");
    assert.equal(d.attempt_count, 0);
    assert.equal(receiver.requests("/off").length, 0);
  });

  test("enable clears the reason, resets the circuit and the waiting deliveries go out at once", async () => {
    const id = await endpoint("/resume");
    await herald.api("POST", `/v1/endpoints/${id}/disable`);
    const [waiting] = await post([id]);
    await db.sql`update endpoints
      set consecutive_failures = 9, circuit_open_until = now() + interval '1 hour',
          circuit_cooldown_ms = 3600000, failing_since = now() - interval '2 days'
      where id = ${id}`;
    assert.equal((await herald.api("GET", `/v1/endpoints/${id}`)).body.circuit.state, "open");

    const res = await herald.api("POST", `/v1/endpoints/${id}/enable`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.enabled, true);
    assert.equal(res.body.disabled_reason, null);
    assert.equal(res.body.disabled_at, null);
    assert.deepEqual(res.body.circuit, {
      state: "closed",
      consecutive_failures: 0,
      next_probe_at: null,
    });
    const [row] = await db.sql`
      select consecutive_failures, circuit_open_until, circuit_cooldown_ms, failing_since
      from endpoints where id = ${id}`;
    assert.deepEqual(
      { ...row },
      {
        consecutive_failures: 0,
        circuit_open_until: null,
        circuit_cooldown_ms: null,
        failing_since: null,
      },
    );
    await waitFor(
      async () => (await delivery(waiting as string)).status === "succeeded",
      5_000,
      "the waiting delivery to go out after enable",
    );
    assert.equal(receiver.requests("/resume").length, 1);
  });

  test("disable without a body, or with {}, gives the plain reason; disabling again keeps disabled_at", async () => {
    const id = await endpoint("/plain");
    const first = await herald.api("POST", `/v1/endpoints/${id}/disable`);
    assert.equal(first.status, 200);
    assert.equal(first.body.disabled_reason, "disabled by hand");
    const again = await herald.api("POST", `/v1/endpoints/${id}/disable`, { reason: "still down" });
    assert.equal(again.body.disabled_reason, "disabled by hand: still down");
    assert.equal(again.body.disabled_at, first.body.disabled_at);
    const empty = await herald.api("POST", `/v1/endpoints/${id}/disable`, {});
    assert.equal(empty.status, 200);
    assert.equal(empty.body.disabled_reason, "disabled by hand");
    assert.equal((await herald.api("POST", `/v1/endpoints/${id}/enable`, {})).status, 200);
  });

  test("PATCH enabled works like disable and enable", async () => {
    const id = await endpoint("/patched");
    let res = await herald.api("PATCH", `/v1/endpoints/${id}`, { enabled: false });
    assert.equal(res.status, 200);
    assert.equal(res.body.enabled, false);
    assert.equal(res.body.disabled_reason, "disabled by hand");
    const [waiting] = await post([id]);
    await db.sql`update endpoints
      set consecutive_failures = 7, circuit_open_until = now() + interval '1 hour' where id = ${id}`;
    res = await herald.api("PATCH", `/v1/endpoints/${id}`, { enabled: true, description: "back" });
    assert.equal(res.status, 200);
    assert.equal(res.body.enabled, true);
    assert.equal(res.body.disabled_reason, null);
    assert.equal(res.body.description, "back");
    assert.equal(res.body.circuit.state, "closed");
    await waitFor(
      async () => (await delivery(waiting as string)).status === "succeeded",
      5_000,
      "the waiting delivery to go out after PATCH enabled",
    );
  });

  test("an unknown or deleted endpoint is 404 endpoint_not_found for enable, disable and rotate-secret", async () => {
    const gone = await endpoint("/gone");
    assert.equal((await herald.api("DELETE", `/v1/endpoints/${gone}`)).status, 204);
    const before = await snapshot(db.sql, [
      "endpoints",
      "audit_log",
      "deliveries",
      "delivery_history",
    ]);
    for (const id of ["ep_nope", gone]) {
      for (const action of ["enable", "disable", "rotate-secret"]) {
        const res = await herald.api("POST", `/v1/endpoints/${id}/${action}`);
        assert.equal(res.status, 404, `${action} ${id}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, "endpoint_not_found");
      }
      const patched = await herald.api("PATCH", `/v1/endpoints/${id}`, { enabled: true });
      assert.equal(patched.status, 404);
    }
    assert.deepEqual(
      await snapshot(db.sql, ["endpoints", "audit_log", "deliveries", "delivery_history"]),
      before,
    );
  });

  test("bad bodies are 400 invalid_request and change nothing", async () => {
    const id = await endpoint("/bad");
    const before = await snapshot(db.sql, ["endpoints", "audit_log"]);
    const bad: [string, unknown][] = [
      ["enable", { reason: "enable takes no fields" }],
      ["disable", { why: "x" }],
      ["disable", { reason: "" }],
      ["disable", { reason: 5 }],
      ["disable", { reason: "x".repeat(501) }],
      ["disable", { reason: "nul \u0000" }],
      ["disable", ["maintenance"]],
      ["disable", "maintenance"],
    ];
    for (const [action, body] of bad) {
      const res = await herald.api(
        "POST",
        `/v1/endpoints/${id}/${action}`,
        typeof body === "string" ? JSON.stringify(body) : body,
      );
      assert.equal(
        res.status,
        400,
        `${action} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`,
      );
      assert.equal(res.body.error.code, "invalid_request");
    }
    assert.deepEqual(await snapshot(db.sql, ["endpoints", "audit_log"]), before);
  });
});
