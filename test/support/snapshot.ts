// "Nothing changed": every row of some tables as JSON, to compare before and after a request.
import type { Sql } from "../../src/db/connect.ts";

/** All rows of `tables`, each table ordered by its text form so the result is comparable. */
export async function snapshot(sql: Sql, tables: string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    const [row] = await sql<{ rows: unknown }[]>`
      select coalesce(json_agg(t order by t::text), '[]') as rows from ${sql(table)} t`;
    out[table] = row?.rows;
  }
  return out;
}
