// The dashboard's overview numbers (GET /v1/stats/overview and the stream's `stats`), kept
// cheap however large the tables grow: every count reads an index or at most COUNT_LIMIT rows.
// Counts over that limit come from the planner's statistics (pg_class.reltuples and
// pg_stats' status frequencies) and are flagged `estimated: true`.
import type { Context } from "../context.ts";
import type { Sql } from "../db/connect.ts";
import { type AttemptSeries, AttemptSeriesCache } from "./series.ts";

/** Rows a count may read before it gives way to an estimate. */
export const COUNT_LIMIT = 100_000;

export interface OverviewJson {
  as_of: string;
  events: { accepted: number; last_15m: number; estimated: boolean };
  deliveries: {
    /** Waiting for their first attempt. */
    pending: number;
    /** Waiting for a retry: pending after at least one attempt. */
    retrying: number;
    in_flight: number;
    succeeded: number;
    failed: number;
    cancelled: number;
    estimated: boolean;
  };
  queue: { depth: number; oldest_pending_age_seconds: number | null; estimated: boolean };
  series: AttemptSeries;
}

/**
 * The count limit (plus one, to tell "more") as a literal. As a parameter, the generic plans
 * Herald's sessions use would assume a small limit and could scan a whole table to fill it.
 */
const cap = (sql: Sql) => sql.unsafe(String(COUNT_LIMIT + 1));

/**
 * Rows the planner believes each table has (-1 or 0: never analyzed), the history's summed over
 * its partitions, and the database's clock.
 */
async function tableSizes(sql: Sql) {
  const [row] = await sql<{ events: number; queue: number; history: number; now_ms: number }[]>`
    select (select reltuples from pg_class where oid = 'events'::regclass)::float8 as events,
           (select reltuples from pg_class where oid = 'deliveries'::regclass)::float8 as queue,
           (select coalesce(sum(greatest(c.reltuples, 0)), 0) from pg_inherits i
            join pg_class c on c.oid = i.inhrelid
            where i.inhparent = 'delivery_history'::regclass)::float8 as history,
           (extract(epoch from now()) * 1000)::float8 as now_ms`;
  return row as { events: number; queue: number; history: number; now_ms: number };
}

/**
 * Events: all of them (counted up to the limit), and those of the last 15 minutes. The events
 * table has no index on created_at: seq grows with time, so a binary search over the primary
 * key finds the first seq of the window (about 40 index probes), and the window is counted
 * from there (up to the limit; past it, the seq span is the estimate). All events are counted
 * only when `countAll` (the table is not known to be large).
 */
async function countEvents(sql: Sql, countAll: boolean) {
  const [row] = await sql<{ total: string; recent: string; first_seq: string; max_seq: string }[]>`
    with recursive search(lo, hi) as (
      select coalesce(min(seq), 1), coalesce(max(seq), 0) + 1 from events
      union all
      select case when p.in_window then s.lo else m.mid + 1 end,
             case when p.in_window then m.mid else s.hi end
      from search s
      cross join lateral (select (s.lo + s.hi) / 2 as mid) m
      cross join lateral (
        select coalesce((select e.created_at >= now() - interval '15 minutes' from events e
                         where e.seq >= m.mid order by e.seq limit 1), true) as in_window
      ) p
      where s.lo < s.hi
    ),
    first as (select lo as seq from search where lo = hi limit 1)
    select case when ${countAll}::bool
                then (select count(*) from (select 1 from events limit ${cap(sql)}) a)
                else ${cap(sql)} end as total,
           (select count(*) from (select 1 from events
                                  where seq >= (select seq from first) limit ${cap(sql)}) r) as recent,
           (select seq from first) as first_seq,
           (select coalesce(max(seq), 0) from events) as max_seq`;
  const r = row as { total: string; recent: string; first_seq: string; max_seq: string };
  return {
    total: Number(r.total),
    recent: Number(r.recent),
    seqSpan: Number(r.max_seq) - Number(r.first_seq) + 1,
  };
}

type Counts = Record<string, number>;
const numbers = (row: Record<string, string> | undefined): Counts =>
  Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]));

/** Queued deliveries by status, exactly, from at most the limit's rows; `n` says whether that was all. */
async function countQueueExactly(sql: Sql) {
  const [row] = await sql<Record<string, string>[]>`
    select count(*) as n,
           count(*) filter (where status = 'pending' and attempts = 0) as pending,
           count(*) filter (where status = 'pending' and attempts > 0) as retrying,
           count(*) filter (where status = 'in_flight') as in_flight
    from (select status, attempts from deliveries limit ${cap(sql)}) d`;
  return numbers(row);
}

/** Finished deliveries by status, exactly, from at most the limit's rows. */
async function countHistoryExactly(sql: Sql) {
  const [row] = await sql<Record<string, string>[]>`
    select count(*) as n,
           count(*) filter (where status = 'succeeded') as succeeded,
           count(*) filter (where status = 'failed') as failed,
           count(*) filter (where status = 'cancelled') as cancelled
    from (select status from delivery_history limit ${cap(sql)}) d`;
  return numbers(row);
}

/** A count read up to the cap, or, past it, the statistics' estimate (never below the cap). */
const capped = (counted: string | number, estimate: number) =>
  Number(counted) > COUNT_LIMIT ? Math.max(COUNT_LIMIT, estimate) : Number(counted);

/**
 * Queued deliveries by status on a large queue: pending and in flight through their partial
 * indexes (up to the limit each), past it from the planner's status frequencies.
 */
async function estimateQueue(sql: Sql, rows: number) {
  const [row] = await sql<
    {
      pending_all: string;
      retrying_seen: string;
      in_flight: string;
      vals: string[] | null;
      freqs: number[] | null;
    }[]
  >`
    select p.pending_all, p.retrying_seen,
           (select count(*) from (select 1 from deliveries where status = 'in_flight'
                                  limit ${cap(sql)}) x) as in_flight,
           (select most_common_vals::text::text[] from pg_stats
            where schemaname = current_schema() and tablename = 'deliveries' and attname = 'status') as vals,
           (select most_common_freqs from pg_stats
            where schemaname = current_schema() and tablename = 'deliveries' and attname = 'status') as freqs
    from (select count(*) as pending_all, count(*) filter (where attempts > 0) as retrying_seen
          from (select attempts from deliveries where status = 'pending'
                limit ${cap(sql)}) x) p`;
  const r = row as NonNullable<typeof row>;
  const freq = (status: string) => {
    const i = r.vals?.indexOf(status) ?? -1;
    return i < 0 ? 0 : Math.round((r.freqs?.[i] ?? 0) * rows);
  };
  const pendingAll = capped(r.pending_all, freq("pending"));
  const seen = Math.min(Number(r.pending_all), COUNT_LIMIT + 1);
  const retrying = seen ? Math.round((Number(r.retrying_seen) / seen) * pendingAll) : 0;
  return {
    pending: pendingAll - retrying,
    retrying,
    in_flight: capped(r.in_flight, freq("in_flight")),
  };
}

/**
 * Finished deliveries by status on a large history: failed through its partial index (up to
 * the limit), the rest from each partition's size and status frequencies.
 */
async function estimateHistory(sql: Sql) {
  const [row] = await sql<
    { failed: string; stats: { rows: number; vals: string[] | null; freqs: number[] | null }[] }[]
  >`
    select (select count(*) from (select 1 from delivery_history where status = 'failed'
                                  limit ${cap(sql)}) x) as failed,
           coalesce((select json_agg(json_build_object('rows', greatest(c.reltuples, 0),
                       'vals', s.most_common_vals::text::text[], 'freqs', s.most_common_freqs))
                     from pg_inherits i join pg_class c on c.oid = i.inhrelid
                     left join pg_stats s on s.schemaname = current_schema()
                       and s.tablename = c.relname and s.attname = 'status'
                     where i.inhparent = 'delivery_history'::regclass), '[]') as stats`;
  const r = row as NonNullable<typeof row>;
  const freq = (status: string) =>
    Math.round(
      r.stats.reduce((sum, p) => {
        const i = p.vals?.indexOf(status) ?? -1;
        return sum + (i < 0 ? 0 : (p.freqs?.[i] ?? 0) * p.rows);
      }, 0),
    );
  return {
    succeeded: freq("succeeded"),
    failed: capped(r.failed, freq("failed")),
    cancelled: freq("cancelled"),
  };
}

/** Pending deliveries due now (up to the limit) and how long the longest-waiting one has been due. */
async function queueDepth(sql: Sql) {
  const [row] = await sql<{ depth: string; age: number | null }[]>`
    select (select count(*) from (select 1 from deliveries
                                  where status = 'pending' and next_attempt_at <= now()
                                  limit ${cap(sql)}) x) as depth,
           (select extract(epoch from now() - min(next_attempt_at))::float8 from deliveries
            where status = 'pending' and next_attempt_at <= now()) as age`;
  const r = row as { depth: string; age: number | null };
  const depth = Number(r.depth);
  return {
    depth: Math.min(depth, COUNT_LIMIT),
    oldest_pending_age_seconds: r.age === null ? null : Math.round(r.age * 10) / 10,
    estimated: depth > COUNT_LIMIT,
  };
}

/**
 * The queue now, for the metrics: queued deliveries by status and the due ones (exact up to
 * the count limit, estimated past it, as in the overview), and the oldest due one's age.
 */
export async function queueNow(sql: Sql) {
  const sizes = await tableSizes(sql);
  const [exact, depth] = await Promise.all([
    sizes.queue > 2 * COUNT_LIMIT ? undefined : countQueueExactly(sql),
    queueDepth(sql),
  ]);
  const counts =
    exact && (exact.n ?? 0) <= COUNT_LIMIT
      ? exact
      : await estimateQueue(sql, Math.max(sizes.queue, COUNT_LIMIT + 1));
  return {
    pending: counts.pending ?? 0,
    retrying: counts.retrying ?? 0,
    in_flight: counts.in_flight ?? 0,
    due: depth.depth,
    oldest_due_age_seconds: depth.oldest_pending_age_seconds,
  };
}

export class Overview {
  private readonly series: AttemptSeriesCache;
  private computing: Promise<OverviewJson> | undefined;

  constructor(private readonly ctx: Context) {
    // Attempts are recorded when they end: up to the timeout after they started, plus the
    // time a completion batch may wait to be written.
    this.series = new AttemptSeriesCache(Math.ceil(ctx.config.timeoutMs / 1000) + 30);
  }

  /** The overview now; callers that ask while it is being computed share that computation. */
  get(): Promise<OverviewJson> {
    this.computing ??= this.compute().finally(() => {
      this.computing = undefined;
    });
    return this.computing;
  }

  private async compute(): Promise<OverviewJson> {
    const { sql } = this.ctx;
    const sizes = await tableSizes(sql);
    const largeEvents = sizes.events > 2 * COUNT_LIMIT;
    const [events, queueExact, historyExact, queue, series] = await Promise.all([
      countEvents(sql, !largeEvents),
      sizes.queue > 2 * COUNT_LIMIT ? undefined : countQueueExactly(sql),
      sizes.history > 2 * COUNT_LIMIT ? undefined : countHistoryExactly(sql),
      queueDepth(sql),
      this.series.read(sql, sizes.now_ms),
    ]);
    const exact = (c: Counts | undefined): c is Counts =>
      c !== undefined && (c.n ?? 0) <= COUNT_LIMIT;
    const queued = exact(queueExact)
      ? queueExact
      : await estimateQueue(sql, Math.max(sizes.queue, COUNT_LIMIT + 1));
    const finished = exact(historyExact) ? historyExact : await estimateHistory(sql);
    const counts: Counts = { ...queued, ...finished };
    const deliveriesExact = exact(queueExact) && exact(historyExact);

    const eventsTotalExact = !largeEvents && events.total <= COUNT_LIMIT;
    const recentExact = events.recent <= COUNT_LIMIT;
    return {
      as_of: new Date(sizes.now_ms).toISOString(),
      events: {
        accepted: eventsTotalExact ? events.total : Math.max(Math.round(sizes.events), COUNT_LIMIT),
        last_15m: recentExact ? events.recent : events.seqSpan,
        estimated: !eventsTotalExact || !recentExact,
      },
      deliveries: {
        pending: counts.pending ?? 0,
        retrying: counts.retrying ?? 0,
        in_flight: counts.in_flight ?? 0,
        succeeded: counts.succeeded ?? 0,
        failed: counts.failed ?? 0,
        cancelled: counts.cancelled ?? 0,
        estimated: !deliveriesExact,
      },
      queue,
      series,
    };
  }
}
