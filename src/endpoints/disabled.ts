// An endpoint switched off, by hand or by Herald, is announced as an `endpoint.disabled` event
// (no tenant), which operators subscribe to like any other event type. The event is written
// in the same transaction as the change that disabled the endpoint.
import type { TransactionSql } from "postgres";
import { type Actor, audit } from "../audit/log.ts";
import type { Context } from "../context.ts";
import type { Sql } from "../db/connect.ts";
import { writeEvents } from "../events/ingest.ts";

export interface DisabledNotice {
  id: string;
  tenant: string | null;
  url: string;
  disabled_reason: string | null;
  disabled_at: Date | null;
}

/** Writes the endpoint.disabled event; the same id if written twice for one disabling. */
export async function emitDisabled(
  sql: Sql | TransactionSql,
  ep: DisabledNotice,
  now: number,
): Promise<void> {
  const at = ep.disabled_at ?? new Date(now);
  await writeEvents(sql, [
    {
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
    },
  ]);
}

/** What Herald does after disabling an endpoint by itself: audit it and announce it. */
export async function announceDisabled(
  ctx: Context,
  ep: DisabledNotice,
  actor: Actor,
): Promise<void> {
  await ctx.sql.begin(async (tx) => {
    await audit(tx, {
      actor,
      action: "endpoint.disabled",
      subject: ep.id,
      details: { reason: ep.disabled_reason },
    });
    await emitDisabled(tx, ep, ctx.now());
  });
}
