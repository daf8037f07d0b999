// Cancelling (pending → cancelled): the deliveries an endpoint will never get, because it was
// deleted. In-flight ones are left to the worker that holds them.
import type { Db } from "../db/connect.ts";

/** Cancels every pending delivery of `endpointId`; returns how many. */
export async function cancelForEndpoint(
  db: Db,
  { endpointId }: { endpointId: string },
): Promise<number> {
  const rows = await db`update deliveries set status = 'cancelled', updated_at = now()
    where endpoint_id = ${endpointId} and status = 'pending'`;
  return rows.count;
}
