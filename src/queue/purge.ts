// Retention's steps for the finished side of the queue (retention/purge.ts runs the rounds):
// the daily partitions of delivery_history and attempts (migration 009) are made a week ahead
// and dropped whole once their day is past the cutoff; rows that landed in a default partition
// (their day had no partition yet) are deleted in batches.
import type { Db, Sql } from "../db/connect.ts";

/** The partitioned tables and the column each is partitioned by. */
export const PARTITIONED = { delivery_history: "updated_at", attempts: "started_at" } as const;
export type PartitionedTable = keyof typeof PARTITIONED;

/**
 * A partition change waits at most this long for its lock (dropping a partition locks the
 * parent table, which every completion writes): one that would wait longer is left for the
 * next round rather than holding up the statements queued behind it.
 */
const LOCK_TIMEOUT = "1s";

/** Makes the partitions of today and the next `daysAhead` days (UTC) that are missing. */
export async function ensurePartitions(sql: Sql, daysAhead = 7): Promise<number> {
  let made = 0;
  for (const table of Object.keys(PARTITIONED)) {
    made += await sql.begin(async (tx) => {
      await tx`select set_config('lock_timeout', ${LOCK_TIMEOUT}, true)`;
      const [row] = await tx<{ made: number }[]>`
        select herald_daily_partitions(${table}, (now() at time zone 'UTC')::date,
                                       (now() at time zone 'UTC')::date + ${daysAhead}::int) as made`;
      return row?.made ?? 0;
    });
  }
  return made;
}

/**
 * Drops the daily partitions of `table` whose whole day is before `cutoff`; returns how many
 * rows they held. When a lock is not granted in time, the rest stay for the next round.
 */
export async function dropPartitionsBefore(
  sql: Sql,
  table: PartitionedTable,
  cutoff: Date,
): Promise<number> {
  const parts = await sql<{ name: string }[]>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = ${table}::regclass and c.relname ~ ${`^${table}_[0-9]{8}$`}
      and (to_date(right(c.relname, 8), 'YYYYMMDD') + 1)::timestamp at time zone 'UTC' <= ${cutoff}
    order by c.relname`;
  let rows = 0;
  for (const { name } of parts) {
    try {
      rows += await sql.begin(async (tx) => {
        await tx`select set_config('lock_timeout', ${LOCK_TIMEOUT}, true)`;
        // Counted for the round's report: a scan of a table about to go, no row written.
        const [row] = await tx<{ n: number }[]>`select count(*)::int as n from ${tx(name)}`;
        await tx`drop table ${tx(name)}`;
        return row?.n ?? 0;
      });
    } catch (err) {
      if ((err as { code?: string }).code !== "55P03") throw err; // lock_not_available
      break;
    }
  }
  return rows;
}

/**
 * Deletes up to `limit` rows of `table`'s default partition from before `cutoff`; returns how
 * many. The conditions are repeated on the deleted row: a delivery re-queued meanwhile is gone
 * from the history and simply not deleted.
 */
export async function purgeDefault(
  db: Db,
  { table, cutoff, limit }: { table: PartitionedTable; cutoff: Date; limit: number },
): Promise<number> {
  const part = db(`${table}_default`);
  const column = db(PARTITIONED[table]);
  const rows = await db`
    delete from ${part}
    where id = any(array(select id from ${part} where ${column} < ${cutoff} limit ${limit}))
      and ${column} < ${cutoff}`;
  return rows.count;
}
