// The embedded PostgreSQL runs Herald as a role that is no superuser and owns its database:
// a fresh folder is set up so, a folder from before the split (everything owned by the
// superuser, a world-readable password file left behind) is handed over at its next start.
import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import pino from "pino";
import postgres from "postgres";
import { connect } from "../../src/db/connect.ts";
import { APP_ROLE, type EmbeddedPostgres, startEmbeddedPostgres } from "../../src/db/embedded.ts";
import { migrate } from "../../src/db/migrate.ts";
import { freePort } from "../support/processes.ts";

const log = pino({ level: "warn" });
const dirs: string[] = [];
const servers: EmbeddedPostgres[] = [];

async function start(dataDir: string, port: number): Promise<EmbeddedPostgres> {
  const pg = await startEmbeddedPostgres({ dataDir, port, log });
  servers.push(pg);
  return pg;
}

after(async () => {
  for (const pg of servers) await pg.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

/** Owners of everything in the public schema that is not APP_ROLE's, and the database's. */
async function foreignOwners(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ what: string }[]>`
      select 'relation ' || c.relname || ' of ' || pg_get_userbyid(c.relowner) as what
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and pg_get_userbyid(c.relowner) <> ${APP_ROLE}
      union all
      select 'routine ' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> ${APP_ROLE}
      union all
      select 'type ' || t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = 'public' and pg_get_userbyid(t.typowner) <> ${APP_ROLE}
      union all
      select 'schema public' from pg_namespace
      where nspname = 'public' and pg_get_userbyid(nspowner) <> ${APP_ROLE}
      union all
      select 'database herald' from pg_database
      where datname = 'herald' and pg_get_userbyid(datdba) <> ${APP_ROLE}`;
    return rows.map((r) => r.what);
  } finally {
    await sql.end();
  }
}

describe("embedded PostgreSQL roles", () => {
  test("Herald's role is no superuser, owns its schema, and no password is left readable", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "herald-roles-"));
    dirs.push(dataDir);
    const pg = await start(dataDir, await freePort());
    assert.equal(decodeURIComponent(new URL(pg.url).username), APP_ROLE);
    assert.equal(mode(join(dataDir, "pg.password")), 0o600);
    assert.deepEqual(
      readdirSync(dataDir).filter((f) => f.includes("pwfile")),
      [],
      "initdb's password file is removed",
    );
    assert.ok(!new URL(pg.url).password.includes(new URL(pg.adminUrl).password));

    const sql = connect(pg.url, 2);
    try {
      await migrate(sql);
      const [me] = await sql`
        select rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls
        from pg_roles where rolname = current_user`;
      assert.deepEqual(
        { ...me },
        {
          rolsuper: false,
          rolcreaterole: false,
          rolcreatedb: false,
          rolreplication: false,
          rolbypassrls: false,
        },
      );
      await assert.rejects(sql.unsafe("create role intruder"), /permission denied/);
      await assert.rejects(sql.unsafe("alter system set work_mem = '1GB'"), /permission denied/);
      await assert.rejects(sql.unsafe("copy (select 1) to program 'true'"), /permission denied/);
    } finally {
      await sql.end();
    }
    assert.deepEqual(await foreignOwners(pg.adminUrl), []);
  });

  test("a folder from before the split has everything handed to Herald's role at its next start", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "herald-roles-old-"));
    dirs.push(dataDir);
    const port = await freePort();
    const first = await start(dataDir, port);
    // As an older Herald left it: the schema migrated by the superuser, the database and schema
    // its own, objects of every kind, the password files readable by anyone.
    const admin = connect(first.adminUrl, 1);
    await admin.unsafe("alter schema public owner to herald");
    await admin.unsafe("alter database herald owner to herald");
    await migrate(admin);
    await admin.unsafe(`
      create type mood as enum ('ok', 'bad');
      create domain positive as int check (value > 0);
      create table legacy (id serial primary key, n bigint generated always as identity, m mood);
      create table parts (at date not null) partition by range (at);
      create table parts_1 partition of parts for values from ('2026-01-01') to ('2026-02-01');
      create view legacy_view as select id from legacy;
      create function legacy_fn() returns int language sql as 'select 1';`);
    await admin.end();
    assert.ok((await foreignOwners(first.adminUrl)).length > 10);
    await first.stop();
    await writeFile(join(dataDir, "pg.pwfile"), "", { mode: 0o644 });
    await chmod(join(dataDir, "pg.password"), 0o644);

    const second = await start(dataDir, port);
    assert.deepEqual(await foreignOwners(second.adminUrl), []);
    assert.equal(mode(join(dataDir, "pg.password")), 0o600);
    assert.deepEqual(
      readdirSync(dataDir).filter((f) => f.includes("pwfile")),
      [],
    );
    // Herald's role can run (and re-run) migrations and change every table it now owns.
    const sql = connect(second.url, 1);
    try {
      await migrate(sql);
      await sql.unsafe(
        "alter table legacy add column note text; insert into legacy (m) values ('ok')",
      );
      await sql.unsafe("alter table parts add column x int; create index on parts_1 (x)");
    } finally {
      await sql.end();
    }
  });
});
