// Purging finished deliveries (succeeded, failed or cancelled, last changed before a cutoff):
// retention's step for this table (retention/purge.ts runs the rounds). Their attempt rows go
// with them (ON DELETE CASCADE).
import type { Db } from "../db/connect.ts";

export interface PurgeBatch {
  /** Every delivery made before the cutoff has an id below this (ids start with their time). */
  idBound: string;
  cutoff: Date;
  limit: number;
}

/**
 * Deletes up to `limit` finished deliveries changed before `cutoff`; returns how many. Found
 * through the primary key: a row changed before the cutoff was made before it, so only the old
 * end of the index is read (no index on status or updated_at, which would cost every queue
 * update its HOT path). The conditions are repeated on the deleted row: one retried meanwhile
 * is re-checked on its new version (pending) and kept.
 */
export async function purgeFinished(db: Db, { idBound, cutoff, limit }: PurgeBatch) {
  const rows = await db`
    delete from deliveries
    where id = any(array(
        select id from deliveries
        where id < ${idBound} and status in ('succeeded', 'failed', 'cancelled')
          and updated_at < ${cutoff}
        limit ${limit}))
      and status in ('succeeded', 'failed', 'cancelled') and updated_at < ${cutoff}`;
  return rows.count;
}
