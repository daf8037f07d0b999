// The PostgreSQL one run of the tests or of the bench works on: DATABASE_URL when it is set,
// else a fresh embedded server in a temporary folder that `stop()` shuts down and removes.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { startEmbeddedPostgres } from "../../src/db/embedded.ts";
import { freePort } from "./processes.ts";

/** `prefix` names the temporary folder (`herald-test-…`, `herald-bench-…`). */
export async function postgresForRun(
  prefix: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url) return { url, stop: async () => {} };
  const dataDir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  const pg = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    log: pino({ level: "warn" }),
  });
  return {
    url: pg.url,
    async stop() {
      await pg.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
