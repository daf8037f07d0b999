// Giving back claimed deliveries that were never sent (in_flight → pending, as before the
// claim): a worker holding more of an endpoint's deliveries than it may send at once (see
// HOLD_FACTOR in claim.ts) returns the ones still waiting when the endpoint fails, when their
// lease would not leave time for an attempt, or when it stops.
import type { Db } from "../db/connect.ts";
import { notifyIfAny } from "./wake.ts";

export interface Unclaimed {
  id: string;
  /** The attempt number the claim gave it. */
  attempt: number;
}

/**
 * Returns `rows` to pending if this worker still holds that very attempt: the attempt is not
 * counted (no try was made, no attempt row is written), the retry window is as before the
 * claim, the endpoint's in_flight goes down by the rows returned, and idle workers are woken.
 */
export function unclaim(db: Db, { workerId, rows }: { workerId: string; rows: Unclaimed[] }) {
  const ids = rows.map((r) => r.id);
  return db<{ returned: number }[]>`
    with c as (
      select * from unnest(${ids}::text[], ${rows.map((r) => r.attempt)}::int[]) as c(id, attempt)
    ),
    back as (
      update deliveries d
      set status = 'pending', attempts = d.attempts - 1, worker_id = null,
          lease_expires_at = null, updated_at = now(),
          window_started_at = case when d.attempts = 1 then null else d.window_started_at end
      from c
      where d.id = any(${ids}::text[])
        and d.id = c.id and d.worker_id = ${workerId} and d.attempts = c.attempt
      returning d.endpoint_id
    ),
    released as (
      update endpoints ep set in_flight = greatest(0, ep.in_flight - r.n)
      from (select endpoint_id, count(*)::int as n from back group by endpoint_id) r
      where ep.id = r.endpoint_id
    ),
    notified as (${notifyIfAny(db, "back")})
    select (select count(*) from back)::int as returned, (select count(*) from notified) as notified`;
}
