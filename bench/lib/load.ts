// Load generators. Closed loop: a fixed number of callers, each sending its next request when
// the previous one answered (throughput at a given concurrency). Open loop: requests sent on a
// fixed schedule whether or not earlier ones answered (latency at a given offered rate; a slow
// server cannot slow the sender down and so hide its own latency).

/** Sends one request; resolves true when it got the answer it expects. */
export type Send = (i: number) => Promise<boolean>;

export interface LoadResult {
  /** Requests sent. */
  sent: number;
  /** Requests that failed or got an unexpected answer. */
  errors: number;
  /** Milliseconds from sending each request to its answer. */
  latencies: number[];
  /** From the first request sent to the last answer, ms. */
  elapsedMs: number;
}

/** `total` requests, or as many as `seconds` allow (then `sent` says how many). */
export async function closedLoop(o: {
  total?: number;
  seconds?: number;
  concurrency: number;
  send: Send;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  const total = o.total ?? Number.POSITIVE_INFINITY;
  const until = o.seconds === undefined ? Number.POSITIVE_INFINITY : t0 + o.seconds * 1000;
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (next < total && performance.now() < until) {
        const i = next++;
        const start = performance.now();
        const ok = await o.send(i).catch(() => false);
        latencies.push(performance.now() - start);
        if (!ok) errors++;
      }
    }),
  );
  return { sent: next, errors, latencies, elapsedMs: performance.now() - t0 };
}

export interface OpenLoopResult extends LoadResult {
  /**
   * Requests not sent on time: more than LATE_MS after their slot (the sender itself fell
   * behind), or while all `connections` were busy (so they queued in the client).
   */
  late: number;
  /** From the first slot to the last request sent, ms: the offered rate actually achieved. */
  sendingMs: number;
}

/**
 * Seconds of load sent before an open-loop measurement and not counted: a fresh process
 * spends its first second or so compiling (JIT) and opening connections, which put p99 at
 * ~300 ms in runs whose steady state never passed 30 ms.
 */
export const WARMUP_SECONDS = 2;

/** A request this much after its slot counts as late. */
const LATE_MS = 5;

/**
 * Offers `rate` requests/s for `seconds`: request i is due at start + i / rate. A 1 ms timer
 * sends whatever is due (a few requests per tick); latency counts from the actual send.
 */
export async function openLoop(o: {
  rate: number;
  seconds: number;
  connections: number;
  send: Send;
}): Promise<OpenLoopResult> {
  const total = Math.round(o.rate * o.seconds);
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let errors = 0;
  let late = 0;
  let inFlight = 0;
  let lastSent = 0;
  const t0 = performance.now();

  const fire = (i: number) => {
    inFlight++;
    const start = performance.now();
    return o
      .send(i)
      .catch(() => false)
      .then((ok) => {
        inFlight--;
        latencies.push(performance.now() - start);
        if (!ok) errors++;
      });
  };

  for (let i = 0; i < total; ) {
    const now = performance.now();
    for (; i < total && t0 + (i * 1000) / o.rate <= now; i++) {
      if (now - (t0 + (i * 1000) / o.rate) > LATE_MS || inFlight >= o.connections) late++;
      pending.push(fire(i));
      lastSent = now;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  return {
    sent: total,
    errors,
    latencies,
    late,
    elapsedMs: performance.now() - t0,
    sendingMs: lastSent - t0,
  };
}
