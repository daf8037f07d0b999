// What the live stream reads: rows changed since a cursor, and the horizon that says which
// changes can no longer appear behind it. Times are microseconds since the epoch as bigint
// (JavaScript Dates keep only milliseconds, and a cursor must not skip rows within one).
//
// Why a horizon: a row's updated_at (and an event's seq) is taken when its transaction
// starts, but the row becomes visible only at commit, so a transaction that started before
// the newest row read may still commit behind it. PostgreSQL's now() is the transaction's
// start, the very value pg_stat_activity shows as xact_start: once the oldest transaction
// still open started at H, every row stamped before H is committed and visible. Cursors move
// up to H and no further; rows read past H are remembered so that none is sent twice.
import type { Context } from "../context.ts";
import type { Sql } from "../db/connect.ts";
import {
  DELIVERIES,
  DELIVERY_COLUMNS,
  type DeliveryRow,
  deliveryJson,
} from "../delivery/queries.ts";
import { COLUMNS, type EndpointRow, endpointJson } from "../endpoints/row.ts";

export interface Horizon {
  /** Rows stamped before this (µs since the epoch) are committed. */
  horizonUs: bigint;
  /** The database clock when the horizon was read (µs since the epoch). */
  nowUs: bigint;
}

/**
 * The start of the oldest transaction open on this database (other than this statement's),
 * or now; never older than `maxLagMs` ago, so one forgotten session cannot hold the stream
 * back (a transaction open longer than that may commit changes the stream never shows).
 * Read it in its own statement before the rows it is applied to: it must predate their snapshot.
 */
export async function readHorizon(sql: Sql, maxLagMs: number): Promise<Horizon> {
  const [row] = await sql<{ horizon_us: string; now_us: string }[]>`
    select (extract(epoch from least(clock_timestamp(), greatest(
              coalesce(min(xact_start), clock_timestamp()),
              clock_timestamp() - ${maxLagMs}::int * interval '1 millisecond'))) * 1000000)::int8
             as horizon_us,
           (extract(epoch from clock_timestamp()) * 1000000)::int8 as now_us
    from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and xact_start is not null`;
  return { horizonUs: BigInt(row?.horizon_us ?? 0), nowUs: BigInt(row?.now_us ?? 0) };
}

export interface EventChange {
  seq: bigint;
  /** The database clock while the row was read, after the statement's snapshot (µs). */
  readUs: bigint;
  json: {
    id: string;
    tenant: string | null;
    type: string;
    source: string | null;
    created_at: string;
    deliveries: number;
  };
}

/**
 * Events with seq above `afterSeq` (at most `limit`) and those in `gaps` (seqs skipped before
 * that may have committed since), in seq order; with how many deliveries each made (they
 * commit together). Two index reads, not one OR: an OR would scan the key from its start.
 */
export async function eventsSince(
  sql: Sql,
  afterSeq: bigint,
  gaps: bigint[],
  limit: number,
): Promise<EventChange[]> {
  const rows = await sql<
    {
      seq: string;
      read_us: string;
      id: string;
      tenant: string | null;
      type: string;
      source: string | null;
      created_at: Date;
      deliveries: number;
    }[]
  >`
    select e.seq, e.id, e.tenant, e.type, e.source, e.created_at,
           (select count(*)::int from all_deliveries d where d.event_seq = e.seq) as deliveries,
           (extract(epoch from clock_timestamp()) * 1000000)::int8 as read_us
    from (
      (select seq from events where seq > ${String(afterSeq)}::int8 order by seq limit ${limit})
      union all
      (select seq from events where seq = any(${gaps.map(String)}::int8[]))
    ) s
    join events e on e.seq = s.seq
    order by e.seq`;
  return rows.map((r) => ({
    seq: BigInt(r.seq),
    readUs: BigInt(r.read_us),
    json: {
      id: r.id,
      tenant: r.tenant,
      type: r.type,
      source: r.source,
      created_at: r.created_at.toISOString(),
      deliveries: r.deliveries,
    },
  }));
}

/**
 * Where a feed starts (or starts again after an overflow): the newest event's seq, and which of the `span` seqs below it are
 * missing (their transactions may still commit), noticed at `readUs`.
 */
export async function eventStart(
  sql: Sql,
  span: number,
): Promise<{ max: bigint; missing: bigint[]; readUs: bigint }> {
  const [row] = await sql<{ max: string; seqs: string[]; read_us: string }[]>`
    with top as (select coalesce(max(seq), 0) as max from events)
    select top.max,
           array(select seq from events where seq > top.max - ${span} and seq <= top.max) as seqs,
           (extract(epoch from clock_timestamp()) * 1000000)::int8 as read_us
    from top`;
  const max = BigInt(row?.max ?? 0);
  const present = new Set(row?.seqs ?? []);
  const missing: bigint[] = [];
  for (let seq = max > BigInt(span) ? max - BigInt(span) + 1n : 1n; seq < max; seq++) {
    if (!present.has(String(seq))) missing.push(seq);
  }
  return { max, missing, readUs: BigInt(row?.read_us ?? 0) };
}

export interface TimedChange<T> {
  id: string;
  /** updated_at in µs since the epoch. */
  us: bigint;
  json: T;
}

export type DeliveryChange = TimedChange<ReturnType<typeof deliveryJson>>;

/** Deliveries changed after (`afterUs`, `afterId`), oldest change first, at most `limit`. */
export async function deliveriesSince(
  sql: Sql,
  afterUs: bigint,
  afterId: string,
  limit: number,
): Promise<DeliveryChange[]> {
  const rows = await sql<(DeliveryRow & { us: string })[]>`
    select ${sql.unsafe(DELIVERY_COLUMNS)}, (extract(epoch from d.updated_at) * 1000000)::int8 as us
    from ${sql.unsafe(DELIVERIES)}
    where (d.updated_at, d.id) >
          (timestamptz 'epoch' + ${String(afterUs)}::int8 * interval '1 microsecond', ${afterId}::text)
    order by d.updated_at, d.id
    limit ${limit}`;
  return rows.map((r) => ({ id: r.id, us: BigInt(r.us), json: deliveryJson(r) }));
}

export type EndpointChange = TimedChange<ReturnType<typeof endpointJson> & { deleted: boolean }>;

/**
 * Endpoints changed after (`afterUs`, `afterId`) — created, edited, switched on or off,
 * rotated or deleted (`deleted: true`) — oldest change first, at most `limit`. Never a secret.
 */
export async function endpointsSince(
  ctx: Context,
  afterUs: bigint,
  afterId: string,
  limit: number,
): Promise<EndpointChange[]> {
  const { sql } = ctx;
  const rows = await sql<(EndpointRow & { us: string; deleted: boolean })[]>`
    select ${sql.unsafe(COLUMNS)}, deleted_at is not null as deleted,
           (extract(epoch from updated_at) * 1000000)::int8 as us
    from endpoints
    where (updated_at, id) >
          (timestamptz 'epoch' + ${String(afterUs)}::int8 * interval '1 microsecond', ${afterId}::text)
    order by updated_at, id
    limit ${limit}`;
  return rows.map((r) => ({
    id: r.id,
    us: BigInt(r.us),
    json: { ...endpointJson(ctx, r), deleted: r.deleted },
  }));
}
