// An endpoint switched off, by hand or by Herald, is announced as an `endpoint.disabled` event
// (no tenant), which operators subscribe to like any other event type. The event and its audit
// entry are written in the same transaction as the change that disabled the endpoint.
import type { TransactionSql } from "postgres";
import { audit, SYSTEM } from "../audit/log.ts";
import type { Sql } from "../db/connect.ts";
import { writeEvents } from "../events/ingest.ts";

export interface DisabledNotice {
  id: string;
  tenant: string | null;
  url: string;
  disabled_reason: string | null;
  disabled_at: Date | null;
}

/** Writes the endpoint.disabled events, in one statement; the same id if written twice for one disabling. */
export async function emitDisabled(
  sql: Sql | TransactionSql,
  endpoints: DisabledNotice[],
  now: number,
): Promise<void> {
  await writeEvents(
    sql,
    endpoints.map((ep) => {
      const at = ep.disabled_at ?? new Date(now);
      return {
        id: `${ep.id}.disabled.${at.getTime()}`,
        tenant: null,
        type: "endpoint.disabled",
        payload: JSON.stringify({
          endpoint_id: ep.id,
          tenant: ep.tenant,
          url: ep.url,
          reason: ep.disabled_reason,
          disabled_at: at.toISOString(),
        }),
      };
    }),
  );
}

/**
 * The audit entries and announcements of endpoints Herald disabled by itself, written on `tx`:
 * the transaction that disabled them (queue/complete.ts through the worker's queue), so the
 * change and its announcement commit together or not at all.
 */
export async function announceDisabled(
  tx: TransactionSql,
  endpoints: DisabledNotice[],
  now: number,
): Promise<void> {
  if (!endpoints.length) return;
  await audit(
    tx,
    ...endpoints.map((ep) => ({
      actor: SYSTEM,
      action: "endpoint.disabled" as const,
      subject: ep.id,
      tenant: ep.tenant,
      details: { reason: ep.disabled_reason },
    })),
  );
  await emitDisabled(tx, endpoints, now);
}
