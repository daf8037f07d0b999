// When to try again: exponential backoff with full jitter (AWS architecture blog, "Exponential
// Backoff And Jitter"): wait = random(0, min(cap, base * 2^(attempt-1))). A Retry-After from
// the endpoint replaces the random wait, still bounded by the cap. Pure, so tests need no clock.

export interface RetryPolicy {
  retryBaseMs: number;
  retryMaxWaitMs: number;
  retryWindowMs: number;
  maxAttempts: number | undefined;
}

/**
 * The time (ms since epoch) of the next attempt after `attempts` tries, or null when the
 * delivery has failed for good: its window (from `createdAt`) is spent or attempts are used up.
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  attempts: number,
  createdAt: number,
  now: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number | null {
  if (policy.maxAttempts !== undefined && attempts >= policy.maxAttempts) return null;
  const ceiling = Math.min(
    policy.retryMaxWaitMs,
    policy.retryBaseMs * 2 ** Math.min(attempts - 1, 40),
  );
  const wait =
    retryAfterMs !== undefined ? Math.min(retryAfterMs, policy.retryMaxWaitMs) : random() * ceiling;
  const at = now + Math.round(wait);
  return at > createdAt + policy.retryWindowMs ? null : at;
}

/** Retry-After as milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined if absent or unparsable. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number,
): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\s*\d+\s*$/.test(v)) return Number(v) * 1000;
  // An HTTP date starts with a day name ("Wed, 21 Oct 2015 07:28:00 GMT"); anything else
  // (like "1.5", which Date.parse would read as a year) is invalid and ignored.
  if (!/^\s*[A-Za-z]{3,9},?\s/.test(v)) return undefined;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
