// Numbered SQL migrations (migrations/NNN_name.sql), applied in order at start. Each runs in
// its own transaction under one advisory lock, so processes starting together migrate once;
// a database migrated by a newer Herald makes an older one refuse to start.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Sql } from "./connect.ts";
import { MIGRATIONS_LOCK } from "./locks.ts";

// Always the SQL files in src/: this module may run compiled from dist/db/ (see bin/herald.js).
const dir = fileURLToPath(new URL("../../src/db/migrations", import.meta.url));

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = readdirSync(dir)
  .filter((f) => /^\d{3}_.+\.sql$/.test(f))
  .sort()
  .map((f) => ({ id: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(dir, f), "utf8") }));

export const latestMigration = migrations.at(-1)?.id ?? 0;

export class SchemaTooNewError extends Error {}

export async function migrate(sql: Sql): Promise<number[]> {
  const applied: number[] = [];
  for (const m of migrations) {
    await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${MIGRATIONS_LOCK})`;
      await tx`create table if not exists herald_migrations (
        id int primary key, name text not null, applied_at timestamptz not null default now())`;
      const [row] = await tx`select max(id) as max from herald_migrations`;
      const max = Number(row?.max ?? 0);
      if (max > latestMigration) {
        throw new SchemaTooNewError(
          `database schema is at migration ${max}, newer than this Herald (${latestMigration}); upgrade Herald`,
        );
      }
      if (m.id <= max) return;
      await tx`insert into herald_migrations (id, name) values (${m.id}, ${m.name})`;
      await tx.unsafe(m.sql);
      applied.push(m.id);
    });
  }
  return applied;
}

/** The newest migration applied to the database (0 when none). */
export async function schemaVersion(sql: Sql): Promise<number> {
  const [row] = await sql`select coalesce(max(id), 0) as v from herald_migrations`;
  return Number(row?.v ?? 0);
}
