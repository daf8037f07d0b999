// `npm test`: starts one embedded PostgreSQL for the whole run (unless DATABASE_URL is set),
// then runs every test file with node's test runner. Each file makes its own database on
// that server (test/helpers.ts), so files run in parallel without sharing state.
import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";
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
const child = spawn(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=4", "--test-reporter=spec", ...files],
  { stdio: "inherit", env: { ...process.env, HERALD_TEST_DATABASE_URL: pg.url } },
);
const code = await new Promise<number>((r) => child.on("exit", (c, s) => r(c ?? (s ? 1 : 0))));
await pg.stop();
process.exit(code);
