// What an outcome means for its delivery (delivery/outcome.ts): a pure function of the row,
// the outcome, the policy and the time, tested without a network, a database or a clock.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { RetryPolicy } from "../../src/delivery/backoff.ts";
import { decide } from "../../src/delivery/outcome.ts";
import type { Outcome } from "../../src/delivery/sender.ts";
import { claimedRow } from "../support/claimed.ts";

const NOW = 1_700_000_000_000;
const policy: RetryPolicy = {
  retryBaseMs: 1_000,
  retryMaxWaitMs: 60_000,
  retryWindowMs: 3_600_000,
  maxAttempts: undefined,
};
const row = claimedRow({
  id: "dlv_a",
  endpoint_id: "ep_a",
  attempts: 3,
  created_at: new Date(NOW - 60_000),
});
const half = () => 0.5;

function outcome(fields: Partial<Outcome>): Outcome {
  return {
    kind: "http_error",
    startedAt: NOW - 20,
    durationMs: 20,
    statusCode: 500,
    body: "oops",
    message: "HTTP 500",
    ...fields,
  };
}

describe("the outcome decision", () => {
  test("a 2xx succeeds, with what the attempt recorded", () => {
    const c = decide(
      row,
      outcome({ kind: "ok", statusCode: 200, body: "fine", message: null }),
      policy,
      NOW,
      half,
    );
    assert.deepEqual(c, {
      id: "dlv_a",
      endpointId: "ep_a",
      attempt: 3,
      status: "succeeded",
      nextAttemptAt: null,
      startedAt: NOW - 20,
      durationMs: 20,
      statusCode: 200,
      errorKind: null,
      errorMessage: null,
      responseBody: "fine",
      failing: false,
    });
  });

  test("a failure is retried at the backoff's time: attempt 3 waits up to base * 4", () => {
    const c = decide(row, outcome({}), policy, NOW, half);
    assert.equal(c.status, "pending");
    assert.equal(c.nextAttemptAt, NOW + 2_000);
    assert.equal(c.errorKind, "http_error");
    assert.equal(c.errorMessage, "HTTP 500");
  });

  test("Retry-After replaces the jitter", () => {
    const c = decide(row, outcome({ statusCode: 429, retryAfterMs: 30_000 }), policy, NOW, () => {
      throw new Error("jitter drawn although Retry-After was given");
    });
    assert.equal(c.nextAttemptAt, NOW + 30_000);
  });

  test("a failure past the retry window fails for good", () => {
    const old = claimedRow({ attempts: 3, created_at: new Date(NOW - policy.retryWindowMs) });
    const c = decide(old, outcome({}), policy, NOW, half);
    assert.equal(c.status, "failed");
    assert.equal(c.nextAttemptAt, null);
  });

  test("the last allowed attempt fails for good", () => {
    const c = decide(
      row,
      outcome({ kind: "timeout", statusCode: null }),
      { ...policy, maxAttempts: 3 },
      NOW,
      half,
    );
    assert.equal(c.status, "failed");
    assert.equal(c.errorKind, "timeout");
  });

  test("an SSRF refusal fails at once: retrying cannot help", () => {
    const c = decide(row, outcome({ kind: "ssrf_blocked", statusCode: null }), policy, NOW, half);
    assert.equal(c.status, "failed");
    assert.equal(c.nextAttemptAt, null);
  });

  test("an attempt cut short by shutdown, or a 410 Gone, waits pending and due now", () => {
    for (const o of [
      outcome({ kind: "aborted", statusCode: null }),
      outcome({ statusCode: 410 }),
    ]) {
      const c = decide(row, o, { ...policy, maxAttempts: 3 }, NOW, half);
      assert.equal(c.status, "pending", o.kind);
      assert.equal(c.nextAttemptAt, NOW, o.kind);
    }
  });
});
