// "Nothing changed": every row of some tables as JSON, to compare before and after a request.
import type { Sql } from "../../src/db/connect.ts";

/**
 * Columns Herald maintains on its own: endpoint health and in-flight counters (a worker
 * finishing an earlier test's delivery may change them at any moment) and keys' last use
 * (written every few seconds). No API request writes them, so they are left out of the
 * comparison.
 */
const WORKER_COLUMNS: Record<string, string[]> = {
  endpoints: [
    "in_flight",
    "rate_window_start",
    "rate_window_count",
    "consecutive_failures",
    "circuit_open_until",
    "circuit_cooldown_ms",
    "failing_since",
    "last_success_at",
    "last_failure_at",
  ],
  api_keys: ["last_used_at"],
};

/** All rows of `tables`, each table ordered by its text form so the result is comparable. */
export async function snapshot(sql: Sql, tables: string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    const drop = WORKER_COLUMNS[table] ?? [];
    const [row] = await sql<{ rows: unknown }[]>`
      select coalesce(json_agg(r order by r::text), '[]') as rows
      from (select to_jsonb(t) - ${drop}::text[] as r from ${sql(table)} t) s`;
    out[table] = row?.rows;
  }
  return out;
}
