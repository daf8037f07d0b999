// Filing finished deliveries in the history (migration 009): the one INSERT every statement
// that finishes a delivery ends with (complete.ts, reap.ts, cancel.ts).
import type { Db } from "../db/connect.ts";

/**
 * The columns a finishing statement's CTE (its DELETE from deliveries … RETURNING) must name,
 * in any order; `status` and `last_*` as the delivery ends.
 */
export const ARCHIVED =
  "id, event_seq, endpoint_id, status, attempts, next_attempt_at, last_status_code, " +
  "last_error, created_at, window_started_at";

/** An INSERT for an `archived` CTE: the rows of CTE `rows` into delivery_history, finished now. */
export function archive(db: Db, rows: string) {
  return db`insert into delivery_history (${db.unsafe(ARCHIVED)}, updated_at)
    select ${db.unsafe(ARCHIVED)}, now() from ${db(rows)}`;
}
