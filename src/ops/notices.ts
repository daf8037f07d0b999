// Operational webhooks: what Herald tells operators (and tenants, of their own endpoints and
// sources), as events signed and delivered like any other: endpoint.disabled, endpoint.enabled,
// endpoint.circuit_opened, endpoint.circuit_closed, delivery.failed, source.rejected
// (docs/api.md#operational-events). Each is written in the transaction of the change it
// announces, so the two commit together or not at all.
//
// They go only to endpoints that name the type (or a wildcard such as `endpoint.*`) in their
// event_types, never to those that take every type: a catch-all endpoint that failed would
// otherwise be sent the news of its own failures. An endpoint without tenant gets every
// tenant's notices; a tenant's endpoint gets only its tenant's. Deliveries of notices failing
// announce nothing (queue/complete.ts), so no notice begets another without end.
import { audit, SYSTEM } from "../audit/log.ts";
import type { Db } from "../db/connect.ts";
import { redactUrl } from "../endpoints/policy.ts";
import { type EventInput, writeEvents } from "../events/ingest.ts";
import type { Notice } from "../queue/complete.ts";

export type OpsType = Notice["type"] | "endpoint.enabled" | "source.rejected";

export interface OpsEvent {
  type: OpsType;
  /** Stable for one occurrence: written twice (a retried transaction), it is stored once. */
  id: string;
  /** The tenant of the endpoint or source it is about. */
  tenant: string | null;
  payload: Record<string, unknown>;
}

interface Subscriber {
  id: string;
  tenant: string | null;
  event_types: string[];
}

const subscribes = (ep: Subscriber, type: string) =>
  ep.event_types.some((t) => t === type || (t.endsWith("*") && type.startsWith(t.slice(0, -1))));

/** Writes `events` to their subscribers; one with none is not stored. */
export async function writeOpsEvents(db: Db, events: OpsEvent[]): Promise<void> {
  if (!events.length) return;
  const types = [...new Set(events.map((e) => e.type))];
  const tenants = [...new Set(events.flatMap((e) => (e.tenant === null ? [] : [e.tenant])))];
  const subscribers = await db<Subscriber[]>`
    select id, tenant, event_types from endpoints
    where deleted_at is null and event_types is not null
      and (tenant is null or tenant = any(${tenants}::text[]))
      and (event_types && ${types}::text[]
        or (event_prefixes is not null and exists (
          select 1 from unnest(event_prefixes) p, unnest(${types}::text[]) t
          where starts_with(t, p))))
    order by id`;
  const inputs: EventInput[] = [];
  for (const e of events) {
    const payload = JSON.stringify({ type: e.type, ...e.payload });
    // The operator's copy (no tenant) and the tenant's, each to its own subscribers.
    for (const tenant of e.tenant === null ? [null] : [null, e.tenant]) {
      const endpointIds = subscribers
        .filter((s) => s.tenant === tenant && subscribes(s, e.type))
        .map((s) => s.id);
      if (endpointIds.length) {
        inputs.push({ id: e.id, tenant, type: e.type, payload, endpointIds });
      }
    }
  }
  if (inputs.length) await writeEvents(db, inputs);
}

const endpointFields = (n: { endpoint_id: string; tenant: string | null; url: string }) => ({
  endpoint_id: n.endpoint_id,
  tenant: n.tenant,
  url: redactUrl(n.url),
});

/** A completion's notice as the event announcing it. */
export function noticeEvent(n: Notice): OpsEvent {
  const at = n.at.toISOString();
  const base = { type: n.type, tenant: n.tenant };
  switch (n.type) {
    case "endpoint.disabled":
      return disabledEvent(endpointFields(n), n.reason, n.at, "herald");
    case "endpoint.circuit_opened":
      return {
        ...base,
        id: `${n.endpoint_id}.circuit_opened.${n.circuit_open_until?.getTime()}`,
        payload: {
          ...endpointFields(n),
          consecutive_failures: n.consecutive_failures,
          opened_at: at,
          next_probe_at: n.circuit_open_until?.toISOString() ?? null,
        },
      };
    case "endpoint.circuit_closed":
      return {
        ...base,
        id: `${n.endpoint_id}.circuit_closed.${n.circuit_open_until?.getTime()}`,
        payload: { ...endpointFields(n), closed_at: at },
      };
    case "delivery.failed":
      return {
        ...base,
        id: `${n.delivery_id}.failed.${n.attempts}`,
        payload: {
          delivery_id: n.delivery_id,
          event_id: n.event_id,
          event_type: n.event_type,
          ...endpointFields(n),
          attempts: n.attempts,
          last_status_code: n.last_status_code,
          last_error: n.reason,
          failed_at: at,
        },
      };
  }
}

/**
 * What a completion batch changed, written on `tx`, the transaction that changed it (the
 * worker's queue): audit entries for the endpoints Herald disabled, and the notices.
 */
export async function announceNotices(tx: Db, notices: Notice[]): Promise<void> {
  if (!notices.length) return;
  const disabled = notices.filter((n) => n.type === "endpoint.disabled");
  if (disabled.length) {
    await audit(
      tx,
      ...disabled.map((n) => ({
        actor: SYSTEM,
        action: "endpoint.disabled" as const,
        subject: n.endpoint_id,
        tenant: n.tenant,
        details: { reason: n.reason },
      })),
    );
  }
  await writeOpsEvents(tx, notices.map(noticeEvent));
}

/** An endpoint switched off or on by hand: its notice, for the switch's transaction. */
export function switchedEvent(
  ep: {
    id: string;
    tenant: string | null;
    url: string;
    disabled_reason: string | null;
    disabled_at: Date | null;
  },
  on: boolean,
  now: number,
  previousReason: string | null,
): OpsEvent {
  const fields = endpointFields({ endpoint_id: ep.id, tenant: ep.tenant, url: ep.url });
  if (on) {
    return {
      type: "endpoint.enabled",
      tenant: ep.tenant,
      id: `${ep.id}.enabled.${now}`,
      payload: {
        ...fields,
        previous_reason: previousReason,
        enabled_at: new Date(now).toISOString(),
      },
    };
  }
  return disabledEvent(fields, ep.disabled_reason, ep.disabled_at ?? new Date(now), "operator");
}

/** endpoint.disabled, by whoever disabled it; one id per disabling. */
function disabledEvent(
  fields: ReturnType<typeof endpointFields>,
  reason: string | null,
  at: Date,
  by: "herald" | "operator",
): OpsEvent {
  return {
    type: "endpoint.disabled",
    tenant: fields.tenant,
    id: `${fields.endpoint_id}.disabled.${at.getTime()}`,
    payload: { ...fields, reason, disabled_at: at.toISOString(), by },
  };
}
