// Enqueueing: new events and their deliveries, written together in one statement so an event
// is never stored without the deliveries it made (the ingestor's group commit calls this with
// a whole batch; Herald's own events, such as endpoint.disabled, call it inside the change
// that makes them).
import type { Db } from "../db/connect.ts";
import { notifyIfAny } from "./wake.ts";

export interface NewEvent {
  id: string;
  tenant: string | null;
  type: string;
  /** The payload as it is sent on every attempt. */
  payload: string;
  sha256: string;
  source: string | null;
  /** The payload's media type when it is not application/json. */
  contentType: string | null;
  /** The ingest request's traceparent, when traced. */
  traceContext: string | null;
  /** Delivered only to the endpoints given in `targets`, not by subscription. */
  targeted: boolean;
  /**
   * Stored only if one of its targets is a live endpoint: an event that would get no
   * delivery is not stored (and so not returned), rather than stored and never delivered.
   */
  required: boolean;
}

export interface Target {
  /** Position of the event in `events`, from 1. */
  ord: number;
  endpointId: string;
}

/**
 * Inserts `events` (ids unique within the call; ON CONFLICT DO NOTHING on (id, tenant)) and, for
 * each one inserted, its deliveries: to the endpoints in `targets` if it is targeted (live
 * endpoints only), else to every live endpoint of its tenant subscribed to its type. A
 * disabled endpoint gets its delivery too: it waits, pending, until the endpoint is enabled.
 * One NOTIFY if any delivery was made. Returns the events inserted, with their delivery
 * counts; ids that already existed are not returned.
 */
export function enqueueEvents(db: Db, p: { events: NewEvent[]; targets: Target[] }) {
  const col = <K extends keyof NewEvent>(k: K) => p.events.map((e) => e[k]);
  return db<{ id: string; tenant: string | null; deliveries: number }[]>`
    with input as (
      select * from unnest(
        ${col("id")}::text[], ${col("tenant")}::text[], ${col("type")}::text[],
        ${col("payload")}::text[], ${col("sha256")}::text[], ${col("source")}::text[],
        ${p.events.map((e) => (e.targeted ? 1 : 0))}::int[], ${col("contentType")}::text[],
        ${p.events.map((e) => (e.required ? 1 : 0))}::int[], ${col("traceContext")}::text[])
      with ordinality as i(id, tenant, type, payload, sha, source, targeted, content_type, required,
                           trace_context, ord)
    ),
    tg as (
      select * from unnest(${p.targets.map((t) => t.ord)}::int[], ${p.targets.map((t) => t.endpointId)}::text[])
        as t(ord, endpoint_id)
    ),
    -- Events delivered by subscription and targeted ones are inserted apart, so the fan-out
    -- needs no join back to the input: with one insert, "ev join input" (estimated at a few
    -- rows) ran as a nested loop inside the join with endpoints, and a batch of 1,000 events
    -- took ~9 s.
    ev_sub as (
      insert into events (id, tenant, type, payload, payload_sha256, source, content_type,
                          trace_context)
      select id, tenant, type, payload, sha, source, content_type, trace_context from input i
      where i.targeted = 0 and i.required = 0
      order by ord
      on conflict (id, tenant) do nothing
      returning seq, id, tenant, type
    ),
    ev_tg as (
      insert into events (id, tenant, type, payload, payload_sha256, source, content_type,
                          trace_context)
      select id, tenant, type, payload, sha, source, content_type, trace_context from input i
      where i.targeted = 1 and (i.required = 0 or exists (
        select 1 from tg join endpoints ep on ep.id = tg.endpoint_id and ep.deleted_at is null
        where tg.ord = i.ord))
      order by ord
      on conflict (id, tenant) do nothing
      returning seq, id, tenant, type
    ),
    -- Subscriptions are matched once per tenant and type of the batch, not once per event: a
    -- batch is mostly a few types, and matching every event against every endpoint of its
    -- tenant was a third of a 1,000-event batch's time with 31 endpoints.
    kinds as materialized (select distinct coalesce(tenant, '') as tenant, type from ev_sub),
    subscribed as materialized (
      select k.tenant, k.type, ep.id as endpoint_id
      from kinds k
      join endpoints ep on coalesce(ep.tenant, '') = k.tenant and ep.deleted_at is null
      where ep.event_types is null or k.type = any (ep.event_types)
        or (ep.event_prefixes is not null
          and exists (select 1 from unnest(ep.event_prefixes) p where starts_with(k.type, p)))
    ),
    fanned as (
      insert into deliveries (id, event_seq, endpoint_id)
      select herald_id('dlv_'), ev.seq, s.endpoint_id
      from ev_sub ev
      join subscribed s on s.tenant = coalesce(ev.tenant, '') and s.type = ev.type
      returning event_seq
    ),
    targeted as (
      insert into deliveries (id, event_seq, endpoint_id)
      select herald_id('dlv_'), ev.seq, ep.id
      from tg t
      join input i on i.ord = t.ord
      join ev_tg ev on ev.id = i.id and coalesce(ev.tenant, '') = coalesce(i.tenant, '')
      join endpoints ep on ep.id = t.endpoint_id and ep.deleted_at is null
      returning event_seq
    ),
    ev as (select seq, id, tenant from ev_sub union all select seq, id, tenant from ev_tg),
    counts as (
      select event_seq, count(*)::int as n
      from (select event_seq from fanned union all select event_seq from targeted) made
      group by event_seq
    ),
    notified as (${notifyIfAny(db, "counts")})
    select ev.id, ev.tenant, coalesce(c.n, 0) as deliveries, (select count(*) from notified) as notified
    from ev left join counts c on c.event_seq = ev.seq`;
}
