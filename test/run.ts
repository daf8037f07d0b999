// `npm test`: starts one embedded PostgreSQL for the whole run (unless DATABASE_URL is set),
// then runs every test file with node's test runner. Each file makes its own database on
// that server (test/helpers.ts), so files run in parallel without sharing state.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import pino from "pino";
import { startEmbeddedPostgres } from "../src/db/embedded.ts";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

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

let url = process.env.DATABASE_URL;
let stop = async () => {};
let dataDir: string | undefined;
if (!url) {
  dataDir = await mkdtemp(join(tmpdir(), "herald-test-"));
  const pg = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    log: pino({ level: "warn" }),
  });
  url = pg.url;
  stop = () => pg.stop();
}

const child = spawn(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=4", "--test-reporter=spec", ...files],
  { stdio: "inherit", env: { ...process.env, HERALD_TEST_DATABASE_URL: url } },
);
const code = await new Promise<number>((r) => child.on("exit", (c, s) => r(c ?? (s ? 1 : 0))));
await stop();
if (dataDir) await rm(dataDir, { recursive: true, force: true });
process.exit(code);
