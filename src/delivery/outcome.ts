// What an attempt's outcome means for its delivery: done, retried at a time, or failed for
// good. A pure function of the claimed row, the outcome, the retry policy and the time, so
// every rule is tested without a network, a database or a clock.
import type { Claimed } from "../queue/claim.ts";
import type { Completion } from "../queue/complete.ts";
import { nextAttemptAt, type RetryPolicy } from "./backoff.ts";
import type { Outcome } from "./sender.ts";

/**
 * - 2xx: succeeded.
 * - Refused by the SSRF guard: failed at once (a policy refusal; retrying cannot help).
 * - Cut short by shutdown, or 410 Gone (which disables the endpoint): pending, due now, so it
 *   waits for the next worker or for the endpoint to be enabled again.
 * - Anything else: pending at the backoff's next time (or the endpoint's Retry-After), or
 *   failed when the retry window or the attempts are spent.
 * `random` is the backoff's jitter.
 */
export function decide(
  row: Claimed,
  o: Outcome,
  policy: RetryPolicy,
  now: number,
  random: () => number = Math.random,
): Completion {
  let status: Completion["status"];
  let next: number | null = null;
  if (o.kind === "ok") status = "succeeded";
  else if (o.kind === "ssrf_blocked") status = "failed";
  else if (o.kind === "aborted" || o.statusCode === 410) {
    status = "pending";
    next = now;
  } else {
    next = nextAttemptAt(
      policy,
      row.attempts,
      row.created_at.getTime(),
      now,
      o.retryAfterMs,
      random,
    );
    status = next === null ? "failed" : "pending";
  }
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    attempt: row.attempts,
    status,
    nextAttemptAt: next,
    startedAt: o.startedAt,
    durationMs: o.durationMs,
    statusCode: o.statusCode,
    errorKind: o.kind === "ok" ? null : o.kind,
    errorMessage: o.message,
    responseBody: o.body,
    failing: row.class === "suspect",
  };
}
