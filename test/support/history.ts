// Finishing a delivery by hand (no worker): what a completion does to it, moving it from the
// queue to delivery_history with `status`, finished at `at` (default now).
import type { Sql } from "../../src/db/connect.ts";

export async function finishDelivery(
  sql: Sql,
  id: string,
  status: "succeeded" | "failed" | "cancelled",
  at?: Date,
): Promise<void> {
  const [row] = await sql<{ n: number }[]>`
    with moved as (delete from deliveries where id = ${id} returning *),
    archived as (
      insert into delivery_history (id, event_seq, endpoint_id, status, attempts, next_attempt_at,
                                    last_status_code, last_error, created_at, updated_at,
                                    window_started_at)
      select id, event_seq, endpoint_id, ${status}, attempts, next_attempt_at, last_status_code,
             last_error, created_at, coalesce(${at ?? null}::timestamptz, now()),
             window_started_at
      from moved
      returning 1
    )
    select count(*)::int as n from archived`;
  if (row?.n !== 1) throw new Error(`delivery ${id} is not queued`);
}
