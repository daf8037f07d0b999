// `herald serve --processes N`: N Herald processes on one machine, sharing the port (node:cluster
// hands each accepted connection to one of them) and the queue (each runs its own worker; the
// claim's SKIP LOCKED shares the work). This process supervises them: it starts the embedded
// PostgreSQL when there is no DATABASE_URL, migrates and makes the first API key once (so that
// N processes do not race to print N keys), restarts a process that dies, and on a signal stops
// them all, each draining as a single Herald does, before stopping PostgreSQL.
import cluster, { type Worker as ClusterWorker } from "node:cluster";
import { availableParallelism } from "node:os";
import type { Logger } from "pino";
import { bootstrapKey } from "../auth/api-keys.ts";
import { type Config, ConfigError } from "../config.ts";
import { connect } from "../db/connect.ts";
import { configuredDatabase } from "../db/embedded.ts";
import { migrate } from "../db/migrate.ts";
import { untilDatabase } from "../db/wait.ts";
import { serveClusterMetrics } from "../metrics/server.ts";

/** The message a supervised process stops on (a signal sent twice would skip the drain). */
export const STOP_MESSAGE = "herald:stop";

/** A process that died this soon after its start is restarted only after a pause. */
const RESTART_PAUSE_MS = 1_000;

/** `--processes` as a count: a number from 1, or `auto` (one per core). */
export function processCount(value: string | undefined): number {
  if (value === undefined) return 1;
  if (value === "auto") return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new ConfigError(
      `--processes must be a whole number from 1 to 256, or auto; got "${value}"`,
    );
  }
  return n;
}

/**
 * Runs `herald serve <args>` in `count` supervised processes; resolves once they run, with the
 * function that stops them all. `args` are this command's own, without --processes.
 */
export async function superviseProcesses(
  count: number,
  args: string[],
  config: Config,
  log: Logger,
  signal: AbortSignal,
): Promise<{ stop(): Promise<void>; generatedKey?: string }> {
  const { url, embedded } = await configuredDatabase(config, log);
  const sql = connect(url, 1);
  let generatedKey: string | undefined;
  try {
    generatedKey = await untilDatabase(
      async () => {
        await migrate(sql);
        return config.role !== "worker" ? bootstrapKey(sql, config.apiKey) : undefined;
      },
      { log, signal },
    );
  } catch (err) {
    await embedded?.stop();
    throw err;
  } finally {
    await sql.end({ timeout: 1 });
  }

  let stopping = false;
  const running = new Set<ClusterWorker>();
  cluster.setupPrimary({ exec: process.argv[1] as string, args: ["serve", ...args] });
  const fork = (index: number) => {
    const startedAt = Date.now();
    const child = cluster.fork({ DATABASE_URL: url });
    running.add(child);
    child.on("exit", (code, sig) => {
      running.delete(child);
      if (stopping) return;
      const pause = Date.now() - startedAt < RESTART_PAUSE_MS ? RESTART_PAUSE_MS : 0;
      log.error({ process: index, code, signal: sig }, "a Herald process died; restarting it");
      setTimeout(() => {
        if (!stopping) fork(index);
      }, pause).unref();
    });
  };
  for (let i = 0; i < count; i++) fork(i);
  const metrics =
    config.metrics && config.metricsPort !== undefined
      ? await serveClusterMetrics(config.host, config.metricsPort, log)
      : undefined;
  if (metrics) log.info({ url: metrics.url }, "metrics of all processes served");

  return {
    generatedKey,
    async stop() {
      stopping = true;
      await metrics?.close();
      await Promise.all(
        [...running].map(
          (child) =>
            new Promise<void>((resolve) => {
              child.once("exit", () => resolve());
              if (child.isConnected()) child.send(STOP_MESSAGE);
              else child.process.kill("SIGTERM");
            }),
        ),
      );
      await embedded?.stop();
    },
  };
}
