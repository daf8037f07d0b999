// `npm test`: starts one embedded PostgreSQL for the whole run (unless DATABASE_URL is set),
// migrates a template database on it once, then runs every test file with node's test
// runner. Each file makes its own database on that server as a copy of the template
// (test/helpers.ts), so files run in parallel without sharing state.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import postgres from "postgres";
import { connect } from "../src/db/connect.ts";
import { migrate } from "../src/db/migrate.ts";
import { postgresForRun } from "./support/postgres.ts";

async function testFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => relative(process.cwd(), join(dir, f)))
    .sort();
}

const filter = process.argv.slice(2);
const files = (await testFiles("test")).filter(
  (f) => !filter.length || filter.some((x) => f.includes(x)),
);

const pg = await postgresForRun("herald-test");
const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
// A name of this run's own: runs may share one DATABASE_URL.
const template = `herald_template_${randomBytes(6).toString("hex")}`;
await admin.unsafe(`create database ${template}`);
const templateUrl = new URL(pg.url);
templateUrl.pathname = `/${template}`;
// Its connection is closed before any copy is made: a template must have no session.
const migrating = connect(templateUrl.toString(), 1);
await migrate(migrating);
await migrating.end();

const child = spawn(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=4", "--test-reporter=spec", ...files],
  {
    stdio: "inherit",
    env: { ...process.env, HERALD_TEST_DATABASE_URL: pg.url, HERALD_TEST_TEMPLATE: template },
  },
);
const code = await new Promise<number>((r) => child.on("exit", (c, s) => r(c ?? (s ? 1 : 0))));
await admin.unsafe(`drop database if exists ${template} with (force)`);
await admin.end();
await pg.stop();
process.exit(code);
