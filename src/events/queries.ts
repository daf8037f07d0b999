// Reading events back: lists (keyset-paged on seq, newest first) and one event with its deliveries.
import type { JSONValue } from "postgres";
import type { Context } from "../context.ts";
import { keysetPage } from "../db/paging.ts";
import {
  DELIVERIES,
  DELIVERY_COLUMNS,
  type DeliveryRow,
  deliveryJson,
} from "../delivery/queries.ts";
import { HeraldError, notFound } from "../errors.ts";

interface EventRow {
  seq: string;
  id: string;
  tenant: string | null;
  type: string;
  payload: string;
  source: string | null;
  content_type: string | null;
  conflicts: number;
  created_at: Date;
}

/** API events are JSON; an inbound body that is not JSON is returned as its text. */
function payloadValue(row: EventRow): unknown {
  try {
    return JSON.parse(row.payload);
  } catch {
    return row.payload;
  }
}

function eventJson(row: EventRow) {
  return {
    id: row.id,
    tenant: row.tenant,
    type: row.type,
    source: row.source,
    content_type: row.content_type ?? "application/json",
    payload: payloadValue(row),
    conflicts: row.conflicts,
    created_at: row.created_at.toISOString(),
  };
}

export interface EventQuery {
  tenant?: string;
  type?: string;
  status?: string;
  /** Events whose id starts with this. */
  idPrefix?: string;
  /** A payload field, as a dot path (`customer.id`), and the value it must hold. */
  payloadPath?: string;
  payloadValue?: string;
  limit: number;
  cursor?: string;
}

/** Where its deliveries stand, in one word (see docs/api.md). */
const EVENT_STATUS = `case
    when bool_or(d.status = 'failed') then 'failed'
    when bool_or(d.status = 'in_flight') then 'in_flight'
    when bool_or(d.status = 'pending') then 'pending'
    when bool_or(d.status = 'succeeded') then 'succeeded'
    when count(*) > 0 then 'cancelled'
    else 'none' end`;

/**
 * `customer.id` and `cust_1` → the documents a payload contains when that field holds the value:
 * the text, and the JSON number, boolean or null it spells if it spells one.
 */
export function payloadMatches(path: string, value: string): unknown[] {
  const keys = path.split(".");
  if (keys.length > 10 || keys.some((k) => k === "")) {
    throw new HeraldError(
      "invalid_request",
      "payload_path is field names joined by dots (customer.id), at most 10",
    );
  }
  const values: unknown[] = [value];
  if (/^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(value)) {
    const literal: unknown = JSON.parse(value);
    // 1e999 parses to Infinity, which JSON would write as null.
    if (typeof literal !== "number" || Number.isFinite(literal)) values.push(literal);
  }
  return values.map((v) => keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), v));
}

export async function listEvents(ctx: Context, q: EventQuery) {
  const { sql } = ctx;
  // A cursor is a bigint seq; a larger number would make PostgreSQL fail the query (500).
  if (q.cursor !== undefined && !(/^\d{1,19}$/.test(q.cursor) && BigInt(q.cursor) < 2n ** 63n)) {
    throw new HeraldError("invalid_request", "cursor is not one this API returned");
  }
  if ((q.payloadPath === undefined) !== (q.payloadValue === undefined)) {
    throw new HeraldError("invalid_request", "payload_path and payload_value go together");
  }
  const contains =
    q.payloadPath !== undefined
      ? payloadMatches(q.payloadPath, q.payloadValue as string)
          .map(
            (doc) =>
              sql`herald_payload_jsonb(payload, content_type) @> ${sql.json(doc as JSONValue)}`,
          )
          .reduce((a, b) => sql`${a} or ${b}`)
      : null;
  // LIKE's own characters in a prefix are matched as themselves.
  const prefix = q.idPrefix?.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await sql<(EventRow & { delivery_count: number; status: string })[]>`
    select e.*, s.delivery_count, s.status from (
      select seq, id, tenant, type, payload, source, content_type, conflicts, created_at
      from events
      where true
        ${q.tenant !== undefined ? sql`and tenant = ${q.tenant}` : sql``}
        ${q.type !== undefined ? sql`and type = ${q.type}` : sql``}
        ${prefix !== undefined ? sql`and id like ${`${prefix}%`}` : sql``}
        ${contains ? sql`and (${contains})` : sql``}
        ${
          q.status !== undefined
            ? sql`and exists (select 1 from all_deliveries d
                              where d.event_seq = events.seq and d.status = ${q.status})`
            : sql``
        }
        ${q.cursor !== undefined ? sql`and seq < ${q.cursor}` : sql``}
      order by seq desc limit ${q.limit + 1}
    ) e cross join lateral (
      select count(*)::int as delivery_count, ${sql.unsafe(EVENT_STATUS)} as status
      from all_deliveries d where d.event_seq = e.seq
    ) s
    order by e.seq desc`;
  return keysetPage(
    rows,
    q.limit,
    (r) => r.seq,
    (r) => ({ ...eventJson(r), status: r.status, delivery_count: r.delivery_count }),
  );
}

export async function getEvent(ctx: Context, id: string, tenant?: string) {
  const { sql } = ctx;
  const rows = await sql<EventRow[]>`
    select seq, id, tenant, type, payload, source, content_type, conflicts, created_at from events
    where id = ${id} ${tenant !== undefined ? sql`and tenant = ${tenant}` : sql``}
    limit 2`;
  if (rows.length === 0) throw notFound("event", id);
  if (rows.length > 1) throw new HeraldError("ambiguous_event_id");
  const event = rows[0] as EventRow;
  const deliveries = await sql<DeliveryRow[]>`
    select ${sql.unsafe(DELIVERY_COLUMNS)} from ${sql.unsafe(DELIVERIES)}
    where d.event_seq = ${event.seq} order by d.id`;
  return {
    ...eventJson(event),
    // Under their event, deliveries do not repeat its id.
    deliveries: deliveries.map((d) => {
      const { event_id: _, ...json } = deliveryJson(d);
      return json;
    }),
  };
}
