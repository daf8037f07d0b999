// The PostgreSQL one run of the tests or of the bench works on: DATABASE_URL when it is set,
// else a fresh embedded server in a temporary folder that `stop()` shuts down and removes.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import postgres from "postgres";
import { APP_ROLE, startEmbeddedPostgres } from "../../src/db/embedded.ts";
import { freePort } from "./processes.ts";

/**
 * `prefix` names the temporary folder (`herald-test-…`, `herald-bench-…`). `url` is Herald's
 * role (no superuser, allowed to create databases); `adminUrl` a superuser's, for the few
 * tests that need one (loading auto_explain).
 */
export async function postgresForRun(
  prefix: string,
): Promise<{ url: string; adminUrl: string; stop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url) return { url, adminUrl: url, stop: async () => {} };
  return embeddedForRun(prefix);
}

/**
 * A PostgreSQL server of its own, always embedded (DATABASE_URL or not): for a run's server,
 * or for a test that needs a second one (the outbox relay's platform database).
 */
export async function embeddedForRun(
  prefix: string,
): Promise<{ url: string; adminUrl: string; stop(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  const pg = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    log: pino({ level: "warn" }),
  });
  // The run makes a database per test file, as Herald's own role (not a superuser, so a test
  // needing a superuser's power fails here as it would for a user), allowed just that.
  const admin = postgres(pg.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`alter role ${APP_ROLE} createdb`);
  await admin.end();
  return {
    url: pg.url,
    adminUrl: pg.adminUrl,
    async stop() {
      await pg.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
