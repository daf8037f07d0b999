// The circuit breaker of an endpoint: its policy (thresholds, cool-downs, when to disable), its
// input (what a batch of outcomes says about each endpoint), and the state shown to users.
// Pure: queue/complete.ts applies the input to the endpoint rows, under the policy, in the
// statement that records the outcomes.
import type { Config } from "../config.ts";
import type { Completion } from "../queue/complete.ts";

export type BreakerPolicy = Pick<
  Config,
  "circuitFailures" | "circuitCooldownMs" | "circuitMaxCooldownMs" | "disableAfterMs"
>;

export interface EndpointOutcome {
  endpointId: string;
  ok: boolean;
  /** The endpoint answered 410 Gone: it asks to be disabled. */
  gone: boolean;
  /** An outcome that says nothing about the endpoint (an attempt cut short by shutdown). */
  neutral?: boolean;
  at: number;
}

/** One endpoint's share of a batch of outcomes, as the breaker takes it. */
export interface BreakerInput {
  endpointId: string;
  /** A success in this batch resets the consecutive-failure count. */
  hadSuccess: boolean;
  /** Failures after the batch's last success (or all, without success). */
  failures: number;
  /** Time of the first of those failures; start of a failing streak. */
  firstFailureAt: number | null;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  gone: boolean;
}

/** What a recorded outcome says about its endpoint. */
export function breakerOutcome(c: Completion): EndpointOutcome {
  return {
    endpointId: c.endpointId,
    ok: c.status === "succeeded",
    gone: c.statusCode === 410,
    neutral: c.errorKind === "aborted",
    at: c.startedAt + c.durationMs,
  };
}

/** Folds outcomes (any order) into one breaker input per endpoint, in time order. */
export function breakerInput(outcomes: EndpointOutcome[]): BreakerInput[] {
  const byEndpoint = new Map<string, EndpointOutcome[]>();
  for (const o of outcomes) {
    const list = byEndpoint.get(o.endpointId);
    if (list) list.push(o);
    else byEndpoint.set(o.endpointId, [o]);
  }
  // Sorted by endpoint id: concurrent completions then update endpoint rows in one order,
  // which keeps them from deadlocking on each other's rows.
  return [...byEndpoint]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([endpointId, list]) => {
      list.sort((a, b) => a.at - b.at);
      const h: BreakerInput = {
        endpointId,
        hadSuccess: false,
        failures: 0,
        firstFailureAt: null,
        lastSuccessAt: null,
        lastFailureAt: null,
        gone: false,
      };
      for (const o of list) {
        if (o.neutral) continue;
        if (o.ok) {
          h.hadSuccess = true;
          h.failures = 0;
          h.firstFailureAt = null;
          h.lastSuccessAt = o.at;
        } else {
          h.failures++;
          h.firstFailureAt ??= o.at;
          h.lastFailureAt = o.at;
          h.gone ||= o.gone;
        }
      }
      return h;
    });
}

/**
 * The circuit as the columns the worker keeps say it is at `now`: open while
 * circuit_open_until is in the future (the next probe goes then); half-open once that has
 * passed while the failure count is still at the threshold (the next claim is the probe);
 * otherwise closed.
 */
export function circuitState(
  row: { circuit_open_until: Date | null; consecutive_failures: number },
  circuitFailures: number,
  now: number,
) {
  const openUntil = row.circuit_open_until;
  if (openUntil && openUntil.getTime() > now) {
    return {
      state: "open",
      consecutive_failures: row.consecutive_failures,
      next_probe_at: openUntil.toISOString(),
    };
  }
  return {
    state: row.consecutive_failures >= circuitFailures ? "half_open" : "closed",
    consecutive_failures: row.consecutive_failures,
    next_probe_at: null,
  };
}
