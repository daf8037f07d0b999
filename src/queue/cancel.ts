// Cancelling (pending → cancelled): the deliveries an endpoint will never get, because it was
// deleted. They leave the queue for the history (migration 009). In-flight ones are left to
// the worker that holds them.
import type { Db } from "../db/connect.ts";
import { archive } from "./archive.ts";

/** Cancels every pending delivery of `endpointId`; returns how many. */
export async function cancelForEndpoint(
  db: Db,
  { endpointId }: { endpointId: string },
): Promise<number> {
  const [row] = await db<{ n: number }[]>`
    with cancelled as (
      delete from deliveries where endpoint_id = ${endpointId} and status = 'pending'
      returning id, event_seq, endpoint_id, 'cancelled' as status, attempts, next_attempt_at,
                last_status_code, last_error, created_at, window_started_at
    ),
    archived as (${archive(db, "cancelled")})
    select count(*)::int as n from cancelled`;
  return row?.n ?? 0;
}
