// The wake-up channel: a statement that makes deliveries due sends one NOTIFY on it, and idle
// workers LISTEN and claim at once instead of waiting for their poll. NOTIFY takes a global
// lock at commit, so it is sent once per statement (never per row) and only when the
// statement changed something; it is delivered when the transaction commits, never before.
import { connect, type Db } from "../db/connect.ts";

const CHANNEL = "herald_deliveries";

/**
 * A SELECT for a `notified` CTE: one NOTIFY if the CTE named `rows` has any row. A plain
 * SELECT in a WITH runs only if it is read, so the statement must read it, e.g.
 * `(select count(*) from notified)`.
 */
export function notifyIfAny(db: Db, rows: string) {
  return db`select pg_notify(${CHANNEL}, '') from (select 1 from ${db(rows)} limit 1) any_row`;
}

/** Wakes idle workers when `db`'s transaction commits (at once outside one). */
export async function wakeWorkers(db: Db): Promise<void> {
  await db`select pg_notify(${CHANNEL}, '')`;
}

/**
 * Calls `onWake` on every wake-up; resolves once listening. Returns the function that stops it.
 * Each call listens on a connection of its own, closed by that function: a listener made
 * again after an outage starts from nothing (postgres.js re-listens once when its listening
 * connection closes, and never again if that fails).
 */
export async function listenForWork(
  databaseUrl: string,
  onWake: () => void,
): Promise<() => Promise<void>> {
  const sql = connect(databaseUrl, 1);
  try {
    await sql.listen(CHANNEL, onWake);
  } catch (err) {
    await sql.end({ timeout: 0 }).catch(() => {});
    throw err;
  }
  return () => sql.end({ timeout: 1 });
}
