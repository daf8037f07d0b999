// Switching an endpoint on and off by hand (POST …/enable, …/disable, PATCH `enabled`). While
// off, its deliveries wait in pending and spend no attempt; switching on resumes them.
import { type Actor, type AuditEntry, audit } from "../audit/log.ts";
import { andTenant, type Caller } from "../auth/access.ts";
import type { Context } from "../context.ts";
import { notFound } from "../errors.ts";
import { switchedEvent, writeOpsEvents } from "../ops/notices.ts";
import { wakeWorkers } from "../queue/index.ts";
import { COLUMNS, type EndpointRow, endpointJson } from "./row.ts";

/**
 * The column values and audit entry that switch `before` on or off. On: no disabled reason,
 * and a closed circuit with no failure history (the operator says it is fixed; the next
 * failure starts counting afresh). Off: "disabled by hand[: reason]"; disabled_at keeps the
 * time it was first switched off if it already was.
 */
export function switchChange(
  ctx: Context,
  actor: Actor,
  before: EndpointRow,
  on: boolean,
  reason?: string,
): { set: Record<string, unknown>; entry: AuditEntry } {
  if (on) {
    return {
      set: {
        enabled: true,
        disabled_reason: null,
        disabled_at: null,
        consecutive_failures: 0,
        circuit_open_until: null,
        circuit_cooldown_ms: null,
        failing_since: null,
      },
      entry: {
        actor,
        action: "endpoint.enabled",
        subject: before.id,
        tenant: before.tenant,
        details: { was_enabled: before.enabled, previous_reason: before.disabled_reason },
      },
    };
  }
  return {
    set: {
      enabled: false,
      disabled_reason: reason ? `disabled by hand: ${reason}` : "disabled by hand",
      disabled_at: (!before.enabled && before.disabled_at) || new Date(ctx.now()),
    },
    entry: {
      actor,
      action: "endpoint.disabled",
      subject: before.id,
      tenant: before.tenant,
      details: { reason: reason ?? null, was_enabled: before.enabled },
    },
  };
}

/**
 * POST …/enable and …/disable. Enabling wakes workers, so deliveries that waited (due while
 * the endpoint was off) go out at once; those waiting out a retry backoff keep their time.
 */
export async function setEnabled(
  ctx: Context,
  caller: Caller,
  id: string,
  on: boolean,
  reason?: string,
) {
  const row = await ctx.sql.begin(async (tx) => {
    const [before] = await tx<EndpointRow[]>`
      select ${tx.unsafe(COLUMNS)} from endpoints
      where id = ${id} and deleted_at is null ${andTenant(tx, caller.tenant)} for update`;
    if (!before) throw notFound("endpoint", id);
    const { set, entry } = switchChange(ctx, caller.actor, before, on, reason);
    const [after] = await tx<EndpointRow[]>`
      update endpoints set ${tx({ ...set, updated_at: new Date(ctx.now()) })}
      where id = ${id} returning ${tx.unsafe(COLUMNS)}`;
    await audit(tx, entry);
    if (on) await wakeWorkers(tx);
    if (on !== before.enabled) {
      const event = switchedEvent(after as EndpointRow, on, ctx.now(), before.disabled_reason);
      await writeOpsEvents(tx, [event]);
    }
    return after as EndpointRow;
  });
  return endpointJson(ctx, row as EndpointRow);
}
