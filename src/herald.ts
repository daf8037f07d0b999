// Assembles a running Herald from its configuration: database (embedded or DATABASE_URL),
// migrations, API key, HTTP API and/or delivery worker. stop() undoes it in order.
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { bootstrapKey } from "./auth/api-keys.ts";
import type { Config } from "./config.ts";
import type { Context } from "./context.ts";
import { connect, QUEUE_SESSION, type Sql } from "./db/connect.ts";
import { configuredDatabase } from "./db/embedded.ts";
import { migrate } from "./db/migrate.ts";
import { untilDatabase } from "./db/wait.ts";
import { Worker } from "./delivery/worker.ts";
import { Ingestor } from "./events/ingest.ts";
import { buildApp } from "./http/app.ts";
import { Metrics } from "./metrics/metrics.ts";
import {
  answerSupervisor,
  isSupervised,
  type MetricsServer,
  serveMetrics,
} from "./metrics/server.ts";
import { announceNotices } from "./ops/notices.ts";
import { ensurePartitions, workerQueue } from "./queue/index.ts";
import { RetentionJob } from "./retention/purge.ts";
import { loadSecretBox } from "./secrets/keyring.ts";
import { reencryptSecrets } from "./secrets/reencrypt.ts";
import { startTracing } from "./tracing/tracing.ts";

export interface RunningHerald {
  ctx: Context;
  /** Base URL of the HTTP API, when this process serves it. */
  url: string | undefined;
  /** GET /metrics on HERALD_METRICS_PORT, when this process serves it. */
  metricsUrl: string | undefined;
  app: FastifyInstance | undefined;
  worker: Worker | undefined;
  /** The API key generated on this first start (to be shown once), if any. */
  generatedKey: string | undefined;
  databaseUrl: string;
  embedded: boolean;
  /** Graceful, idempotent: stops taking requests and claims, drains, closes the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Aborting while Herald waits for its database ends the start (StartAborted). */
  signal?: AbortSignal;
}

/**
 * Starts Herald and resolves once it is fully running. The HTTP server listens first, so
 * /health/live answers at once while the database is waited for (db/wait.ts: a process started
 * before PostgreSQL, or during a failover, waits for it instead of exiting); /health/ready
 * turns 200 once the schema is migrated. The worker and retention start after that.
 */
export async function startHerald(
  config: Config,
  log: Logger,
  options: StartOptions = {},
): Promise<RunningHerald> {
  const secrets = await loadSecretBox(config, log);
  const { url: databaseUrl, embedded } = await configuredDatabase(config, log);
  const sql = connect(databaseUrl, config.dbPoolSize);
  const metrics = new Metrics({ config, log, sql });
  const tracing = await startTracing(config, log);
  const ctx: Context = {
    config,
    sql,
    log,
    secrets,
    metrics,
    tracing,
    now: Date.now,
    started: false,
  };
  let queueSql: Sql | undefined;
  let app: FastifyInstance | undefined;
  let metricsServer: MetricsServer | undefined;
  try {
    if (config.metrics && isSupervised()) answerSupervisor(metrics);
    else if (config.metrics && config.metricsPort !== undefined) {
      metricsServer = await serveMetrics(
        config.host,
        config.metricsPort,
        () => metrics.exposition(),
        log,
      );
    }
    let url: string | undefined;
    if (config.role !== "worker") {
      app = await buildApp(ctx, new Ingestor(ctx));
      url = await app.listen({ port: config.port, host: config.host });
    }
    const generatedKey = await untilDatabase(
      async () => {
        await migrate(sql);
        // The week's history partitions (retention rounds keep making them): a process
        // started after days stopped does not file its first completions in the default one.
        await ensurePartitions(sql);
        await reencryptSecrets(sql, secrets, log);
        return config.role !== "worker" ? bootstrapKey(sql, config.apiKey) : undefined;
      },
      { log, signal: options.signal },
    );
    ctx.started = true;

    let worker: Worker | undefined;
    if (config.role !== "api") {
      // The worker's own connections, with the queue's session settings (see QUEUE_SESSION).
      queueSql = connect(databaseUrl, Math.min(4, config.dbPoolSize), QUEUE_SESSION);
      worker = new Worker(ctx, {
        queue: workerQueue(queueSql, databaseUrl, announceNotices),
      });
      await worker.start();
    }
    // Every role purges: the round lock makes any number of processes safe.
    const retention = new RetentionJob(ctx, config.retentionIntervalMs);
    retention.start();

    let stopping: Promise<void> | undefined;
    const started = app;
    return {
      ctx,
      url,
      metricsUrl: metricsServer?.url,
      app,
      worker,
      generatedKey,
      databaseUrl,
      embedded: embedded !== undefined,
      stop() {
        stopping ??= (async () => {
          // The worker stops claiming at once, not after the API has drained its requests:
          // an attempt finished meanwhile would free a slot and the worker claim again.
          await Promise.all([started?.close(), worker?.stop()]);
          await queueSql?.end({ timeout: 5 });
          await retention.stop();
          await metricsServer?.close();
          await tracing?.shutdown().catch(() => {});
          await sql.end({ timeout: 5 });
          await embedded?.stop();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await metricsServer?.close();
    await tracing?.shutdown().catch(() => {});
    await app?.close().catch(() => {});
    await queueSql?.end({ timeout: 1 }).catch(() => {});
    await sql.end({ timeout: 1 }).catch(() => {});
    await embedded?.stop();
    throw err;
  }
}
