// Attempts per 10 seconds over the last 15 minutes, succeeded and failed: the dashboard's
// deliveries/s and failure-rate chart. Read from the attempts table through attempts_started
// (never beyond the window). Buckets older than the recheck window are kept in memory and not
// read again: an attempt row is written when the attempt ends (started_at is its start), so
// only the last timeout-plus-a-little can still change.
import type { Sql } from "../db/connect.ts";

export const BUCKET_SECONDS = 10;
export const WINDOW_SECONDS = 15 * 60;
const BUCKETS = WINDOW_SECONDS / BUCKET_SECONDS;

export interface SeriesPoint {
  /** Start of the bucket. */
  at: string;
  succeeded: number;
  failed: number;
}

export interface AttemptSeries {
  bucket_seconds: number;
  window_seconds: number;
  /** Oldest first, one point per bucket (zeros included); the last bucket is the current one, still filling. */
  points: SeriesPoint[];
  /** Sums over the window. */
  succeeded: number;
  failed: number;
}

type Counts = { succeeded: number; failed: number };

/**
 * Counts per bucket (start, in unix seconds) of attempts started since `fromSec`. The second
 * bound is redundant but constant: Herald's sessions use generic plans, which cannot see that
 * `fromSec` is recent; with it the planner knows the range is small and reads the index.
 */
async function readBuckets(sql: Sql, fromSec: number): Promise<Map<number, Counts>> {
  const rows = await sql<{ bucket: string; succeeded: number; failed: number }[]>`
    select floor(extract(epoch from started_at) / ${BUCKET_SECONDS})::int8 * ${BUCKET_SECONDS} as bucket,
           count(*) filter (where error_kind is null)::int as succeeded,
           count(*) filter (where error_kind is not null)::int as failed
    from attempts
    where started_at >= to_timestamp(${fromSec})
      and started_at >= now() - interval '16 minutes'
    group by 1`;
  return new Map(rows.map((r) => [Number(r.bucket), { succeeded: r.succeeded, failed: r.failed }]));
}

export class AttemptSeriesCache {
  private readonly buckets = new Map<number, Counts>();
  /** Buckets before this (unix seconds) are complete in `buckets`. */
  private settledBefore = 0;

  /** @param recheckSeconds how far back attempts can still be recorded: the attempt timeout plus margin. */
  constructor(private readonly recheckSeconds: number) {}

  /** The series as of `nowMs` (the database's clock). */
  async read(sql: Sql, nowMs: number): Promise<AttemptSeries> {
    const nowSec = Math.floor(nowMs / 1000);
    const current = nowSec - (nowSec % BUCKET_SECONDS);
    const first = current - (BUCKETS - 1) * BUCKET_SECONDS;
    const recheckFrom = nowSec - this.recheckSeconds;
    const recheckBucket =
      recheckFrom - (((recheckFrom % BUCKET_SECONDS) + BUCKET_SECONDS) % BUCKET_SECONDS);
    const from = Math.max(first, Math.min(this.settledBefore, recheckBucket));
    const fresh = await readBuckets(sql, from);
    for (let b = from; b <= current; b += BUCKET_SECONDS) {
      const counts = fresh.get(b);
      if (counts) this.buckets.set(b, counts);
      else this.buckets.delete(b);
    }
    for (const b of this.buckets.keys()) if (b < first) this.buckets.delete(b);
    this.settledBefore = recheckBucket;

    const points: SeriesPoint[] = [];
    let succeeded = 0;
    let failed = 0;
    for (let b = first; b <= current; b += BUCKET_SECONDS) {
      const c = this.buckets.get(b) ?? { succeeded: 0, failed: 0 };
      succeeded += c.succeeded;
      failed += c.failed;
      points.push({ at: new Date(b * 1000).toISOString(), ...c });
    }
    return {
      bucket_seconds: BUCKET_SECONDS,
      window_seconds: WINDOW_SECONDS,
      points,
      succeeded,
      failed,
    };
  }
}
