// `npm test`: starts one embedded PostgreSQL for the whole run (unless DATABASE_URL is set),
// migrates a template database on it once, then runs every test file with node's test
// runner. Each file makes its own database on that server as a copy of the template
// (test/helpers.ts), so files run in parallel without sharing state.
//
// Files run in CONCURRENCY groups, a process each, one file after the other, rather than a
// process per file: a process costs ~0.85 s of CPU before its first test (node, tsx's loader
// thread, Fastify and the rest of Herald imported), which over 40 files was a third of the
// suite's CPU on 2 cores.
// `npm test -- --isolate [filter…]` runs a process per file, to rule out one file disturbing
// another.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
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

/** Processes running at once, each running a group of files. */
const CONCURRENCY = 4;

/**
 * Seconds the slowest files took alone (npm test, 2 cores, 2026-12): the groups are balanced
 * on these, every other file counting DEFAULT_SECONDS. A stale figure only unbalances them.
 */
const SECONDS: Record<string, number> = {
  "test/cli/shutdown.test.ts": 18,
  "test/db/embedded.test.ts": 19,
  "test/browser/dashboard.test.ts": 12,
  "test/cli/keys.test.ts": 9,
  "test/cli/resources.test.ts": 40,
  "test/http/stream.test.ts": 12,
  "test/http/overview.test.ts": 13,
  "test/delivery/crash-safety.test.ts": 9,
  "test/outbox/relay.test.ts": 20,
  "test/delivery/endpoint-limits.test.ts": 8,
  "test/retention/purge.test.ts": 8,
  "test/queue/claim-plan.test.ts": 7,
  "test/http/storage-unavailable.test.ts": 7,
  "test/delivery/requeue.test.ts": 6,
};
const DEFAULT_SECONDS = 2;

const args = process.argv.slice(2);
const isolate = args.includes("--isolate");
const filter = args.filter((a) => a !== "--isolate");
const files = (await testFiles("test")).filter(
  (f) => !filter.length || filter.some((x) => f.includes(x)),
);

/**
 * One entry file per process slot, importing its share of the test files: the longest first,
 * each to the group with the least work so far (longest-processing-time scheduling).
 */
async function groupFiles(dir: string): Promise<string[]> {
  const seconds = (f: string) => SECONDS[f] ?? DEFAULT_SECONDS;
  const groups = Array.from({ length: Math.min(CONCURRENCY, files.length) }, () => ({
    files: [] as string[],
    load: 0,
  }));
  for (const f of [...files].sort((a, b) => seconds(b) - seconds(a))) {
    const least = groups.reduce((min, g) => (g.load < min.load ? g : min));
    least.files.push(f);
    least.load += seconds(f);
  }
  return Promise.all(
    groups.map(async (group, i) => {
      const entry = join(dir, `group-${i + 1}.test.mjs`);
      const imports = group.files.map(
        (f) => `await import(${JSON.stringify(pathToFileURL(resolve(f)).href)});\n`,
      );
      await writeFile(entry, imports.join(""));
      return entry;
    }),
  );
}

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

const groupDir = await mkdtemp(join(tmpdir(), "herald-test-groups-"));
const entries = isolate ? files : await groupFiles(groupDir);
const child = spawn(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    `--test-concurrency=${CONCURRENCY}`,
    "--test-reporter=spec",
    ...entries,
  ],
  {
    stdio: "inherit",
    env: {
      ...process.env,
      HERALD_TEST_DATABASE_URL: pg.url,
      HERALD_TEST_ADMIN_URL: pg.adminUrl,
      HERALD_TEST_TEMPLATE: template,
    },
  },
);
const code = await new Promise<number>((r) => child.on("exit", (c, s) => r(c ?? (s ? 1 : 0))));
await rm(groupDir, { recursive: true, force: true });
await admin.unsafe(`drop database if exists ${template} with (force)`);
await admin.end();
await pg.stop();
process.exit(code);
