// `npm run bench [-- --quick] [-- --aged] [-- --only drain,fanout] [-- --otlp]`: measures Herald
// on this machine, end to end, with real processes (Herald children, a local receiver, the load
// generator in this process; everything shares the machine). With --otlp, Herald processes
// export traces to a local OTLP/HTTP sink (OTEL_TRACES_SAMPLER & co. apply). Phases, in order:
//   ingest       POST /v1/events at fixed concurrency (closed loop): events/s, latency;
//   ingest-rate  5,000 events/s offered (open loop): latency, achieved rate;
//   drain        a seeded backlog delivered by 1, 2 and 4 worker processes: deliveries/s;
//   latency      202 → receiver at 1,000 events/s with one worker, and on an idle system;
//   fanout       one event to 50 endpoints (50 origins): ingest, then a 2-worker drain;
//   mixed        ingest and delivery at once, one process and then API + worker: closed loop
//                at the ingest concurrency, then 2,500 events/s offered (ingest and 202 →
//                receiver latency);
//   default-endpoint  one endpoint with the default max_in_flight 10 drained by one worker;
//   seed-api     the seed client's POST /events against POST /v1/events, then end to end;
//   inbound      POST /in/:source (a GitHub source, signature checked) against POST /v1/events;
//   batch        POST /v1/events/batch, batches of 100 and 1,000: events accepted per second
//   auth         GET /v1/me with 10,000 keys stored (one key, each request another key): the
//                cost of authentication and the database queries it makes (none, warm)
//   neighbours   50 healthy endpoints alone, then beside 200 that never answer: the healthy
//                deliveries/s and their ratio (one worker, default settings);
//   memory       RSS of an API and a worker with 1,000,000 pending deliveries;
//   aged         (--aged only, long) 1,000,000 deliveries through, a retention round, then a
//                drain compared with the fresh one.
//   retained     (--aged only, long) 10,000,000 finished deliveries kept, a drain beside them
//                compared with the fresh one, and the retention round removing them.
// Every phase reports each Herald process's peak RSS. PostgreSQL: a fresh embedded server in a
// temp dir, or DATABASE_URL — a scratch database: the run starts by emptying its endpoints (an
// earlier run's, their receivers gone, would each take a copy of every event) and phases empty
// events and deliveries. Results
// go to bench/results/<timestamp>.json and .md (a table for docs/performance.md).
import { mkdir, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.ts";
import { connect } from "../src/db/connect.ts";
import { postgresForRun } from "../test/support/postgres.ts";
import { apiClient } from "./lib/api.ts";
import { BENCH_TYPE, type BenchContext, FANOUT_TYPE, type Phase, sizesFor } from "./lib/context.ts";
import { Fleet } from "./lib/herald.ts";
import { WARMUP_SECONDS } from "./lib/load.ts";
import { OtlpSink } from "./lib/otlp-sink.ts";
import { serverFacts } from "./lib/queue.ts";
import { Receiver } from "./lib/receiver.ts";
import { machine, markdown, n, type Row } from "./lib/report.ts";
import { agedPhase } from "./phases/aged.ts";
import { authPhase } from "./phases/auth.ts";
import { batchPhase } from "./phases/batch.ts";
import { defaultEndpointPhase } from "./phases/default-endpoint.ts";
import { drainPhase } from "./phases/drain.ts";
import { fanoutPhase } from "./phases/fanout.ts";
import { inboundPhase } from "./phases/inbound.ts";
import { ingestPhase, ingestRatePhase } from "./phases/ingest.ts";
import { latencyPhase } from "./phases/latency.ts";
import { memoryPhase } from "./phases/memory.ts";
import { mixedPhase } from "./phases/mixed.ts";
import { neighboursPhase } from "./phases/neighbours.ts";
import { outboxPhase } from "./phases/outbox.ts";
import { retainedPhase } from "./phases/retained.ts";
import { seedApiPhase } from "./phases/seed-api.ts";

const { values } = parseArgs({
  options: {
    /** A smoke run of about a minute. */
    quick: { type: "boolean", default: false },
    /** Also run the aged-queue phase (long). */
    aged: { type: "boolean", default: false },
    /** Only these phases, comma-separated (say `drain,fanout`). */
    only: { type: "string" },
    /** Events of the ingest phase. */
    events: { type: "string" },
    /** Concurrency of the closed-loop ingest (ingest and fanout). */
    /** Comma list: the ingest phase runs once per value (default 64,128,256; quick 64). */
    concurrency: { type: "string" },
    /** Write a V8 CPU profile of each Herald process into this folder. */
    profile: { type: "string" },
    /** Export traces: Herald processes send OTLP/HTTP to a sink in this process (its cost). */
    otlp: { type: "boolean", default: false },
  },
});

/** Phases run only with --aged (or by name with --only). */
const LONG = ["aged", "retained"];

const PHASES: Record<string, Phase> = {
  ingest: ingestPhase,
  "ingest-rate": ingestRatePhase,
  batch: batchPhase,
  outbox: outboxPhase,
  drain: drainPhase,
  latency: latencyPhase,
  fanout: fanoutPhase,
  mixed: mixedPhase,
  "default-endpoint": defaultEndpointPhase,
  "seed-api": seedApiPhase,
  inbound: inboundPhase,
  auth: authPhase,
  neighbours: neighboursPhase,
  memory: memoryPhase,
  aged: agedPhase,
  retained: retainedPhase,
};
const selected = values.only
  ? values.only.split(",").map((s) => s.trim())
  : Object.keys(PHASES).filter((p) => !LONG.includes(p) || values.aged);
for (const p of selected) {
  if (!PHASES[p]) throw new Error(`unknown phase ${p}; phases: ${Object.keys(PHASES).join(", ")}`);
}
const sizes = sizesFor(
  values.quick,
  values.events === undefined ? undefined : Number(values.events),
  values.concurrency?.split(",").map(Number),
);

/** What this run was: its sizes, and the worker settings the Herald children get. */
function settings(): Record<string, string | number | boolean> {
  const s = sizes;
  const config = loadConfig(process.env);
  const perPhase: Record<string, string> = {
    ingest: `${n(s.ingest.events)} events at concurrency ${s.ingest.concurrencies.join(", ")}, each after ${n(Math.ceil(s.ingest.events / 10))} not measured`,
    "ingest-rate": `${n(s.ingestRate.rate)}/s for ${s.ingestRate.seconds} s over ${s.ingestRate.connections} connections after ${WARMUP_SECONDS} s not measured`,
    batch: `${n(s.batch.events)} events in batches of 100 and of 1,000, ${s.batch.concurrency} requests in flight`,
    outbox: `${n(s.outbox.backlog)} rows of backlog, then ${n(s.outbox.rate)} rows/s for ${s.outbox.seconds} s, on a second embedded PostgreSQL, to an API-only Herald`,
    drain: `${n(s.drain.backlog)} pending, ${s.drain.workers.join("/")} workers`,
    latency: `${n(s.latency.rate)}/s for ${s.latency.seconds} s after ${WARMUP_SECONDS} s not measured, then ${s.latency.idleSamples} single events`,
    fanout: `${n(s.fanout.events)} events × ${s.fanout.endpoints} endpoints at concurrency ${s.fanout.concurrency}, ${s.fanout.workers} workers`,
    mixed: `closed loop ${s.mixed.concurrency} for ${s.mixed.seconds} s, then ${n(s.mixed.rate)}/s for ${s.mixed.seconds} s; one process, then API + worker`,
    "default-endpoint": `${n(s.defaultEndpoint.backlog)} pending for one max_in_flight 10 endpoint, 1 worker`,
    "seed-api": `${n(s.seedApi.events)} events at concurrency ${s.seedApi.concurrency}, each route, then end to end`,
    inbound: `${n(s.seedApi.events)} events at concurrency ${s.seedApi.concurrency}, /v1/events and /in/:source alternated, two rounds`,
    auth: `GET /v1/me at concurrency ${s.seedApi.concurrency} with 10,000 keys stored: one key, each request another key (twice), against /health/live`,
    neighbours: `${s.neighbours.healthy} healthy endpoints × ${s.neighbours.healthyEvents} events, beside ${s.neighbours.dead} that never answer × ${s.neighbours.deadEvents}`,
    memory: `${n(s.memory.events * s.fanout.endpoints)} pending, ${s.memory.seconds} s`,
    aged: `${n(s.aged.total)} through in chunks of ${n(s.aged.chunk)}, ${s.aged.workers} workers`,
    retained: `${n(s.retained.total)} finished deliveries kept, then a ${n(s.drain.backlog)} drain by 1 worker and a retention round`,
  };
  const overrides = Object.keys(process.env)
    .filter((k) => k.startsWith("HERALD_") && k !== "HERALD_API_KEY")
    .map((k) => `${k}=${process.env[k]}`);
  return {
    mode: values.quick ? "quick" : "full",
    database: process.env.DATABASE_URL ? "DATABASE_URL" : "fresh embedded",
    ...Object.fromEntries(selected.map((p) => [p, perPhase[p] as string])),
    HERALD_WORKER_CONCURRENCY: config.workerConcurrency,
    HERALD_DB_POOL: config.dbPoolSize,
    HERALD_CONNECTIONS_PER_ORIGIN: config.connectionsPerOrigin,
    "HERALD_* set": overrides.length ? overrides.join(" ") : "none",
    ...(values.profile ? { profile: values.profile } : {}),
    ...(values.otlp
      ? {
          tracing: `OTLP/HTTP to a local sink (--otlp), sampler ${config.otelSampler.name}${
            config.otelSampler.name.endsWith("traceidratio") ? ` ${config.otelSampler.ratio}` : ""
          }`,
        }
      : {}),
  };
}

/** The bench endpoint (max_in_flight 1000, so the per-endpoint cap never limits a drain) and the fan-out endpoints. */
async function createEndpoints(ctx: BenchContext, fanoutUrls: string[], receiverUrl: string) {
  const api = await ctx.fleet.api();
  const client = apiClient(api.child.url, 4);
  try {
    const create = async (body: unknown) => {
      const res = await client.post("/v1/endpoints", body);
      if (res.status !== 201) throw new Error(`creating an endpoint: ${JSON.stringify(res.body)}`);
    };
    await create({ url: receiverUrl, event_types: [BENCH_TYPE], max_in_flight: 1000 });
    for (const url of fanoutUrls) {
      await create({ url, event_types: [FANOUT_TYPE], max_in_flight: 100 });
    }
  } finally {
    await client.close();
    await ctx.fleet.stop();
  }
}

/** A fresh scratch database has no tables yet: the first Herald process makes them. */
function ignoreMissing(err: { code?: string }): void {
  if (err.code !== "42P01") throw err;
}

const pg = await postgresForRun("herald-bench");
// With --otlp every Herald process started from here exports its traces to this sink.
const otlp = values.otlp ? new OtlpSink() : undefined;
if (otlp) process.env.OTEL_EXPORTER_OTLP_ENDPOINT = await otlp.start();
const ctx: BenchContext = {
  databaseUrl: pg.url,
  sql: connect(pg.url, 4),
  fleet: new Fleet(pg.url, values.profile),
  receiver: new Receiver(),
  receiverUrl: "",
  fanout: new Receiver(),
  sizes,
  baseline: {},
};
const rows: Row[] = [];
const results: Record<string, unknown> = {};
try {
  const receiverUrl = await ctx.receiver.listen();
  ctx.receiverUrl = receiverUrl;
  const fanoutUrls: string[] = [];
  for (let i = 0; i < sizes.fanout.endpoints; i++) fanoutUrls.push(await ctx.fanout.listen());
  if (process.env.DATABASE_URL)
    await ctx.sql`truncate endpoints, attempts, deliveries, delivery_history, events cascade`.catch(
      ignoreMissing,
    );
  await createEndpoints(ctx, fanoutUrls, receiverUrl);

  for (const name of selected) {
    console.log(`\n${name}`);
    const started = performance.now();
    try {
      const r = await (PHASES[name] as Phase)(ctx);
      rows.push(...r.rows);
      results[name] = r.data;
    } catch (err) {
      console.error(err);
      process.exitCode = 1;
      const message = (err instanceof Error ? err.message : String(err)).split("\n")[0] as string;
      rows.push({ phase: name, figure: "FAILED", result: message, met: false });
      results[name] = { error: message };
    } finally {
      await ctx.fleet.stop();
    }
    console.log(`  (${name}: ${Math.round((performance.now() - started) / 1000)} s)`);
  }

  if (otlp) {
    console.log(`\notlp sink: ${otlp.requests} exports, ${otlp.spans} spans, ${otlp.bytes} bytes`);
    results.otlp = { requests: otlp.requests, spans: otlp.spans, bytes: otlp.bytes };
  }
  const at = new Date().toISOString();
  const report = { at, machine: machine(await serverFacts(ctx.sql)), settings: settings(), rows };
  await mkdir("bench/results", { recursive: true });
  const stamp = at.replace(/[:.]/g, "-");
  await writeFile(
    `bench/results/${stamp}.json`,
    `${JSON.stringify({ ...report, results }, null, 2)}\n`,
  );
  const md = markdown(report);
  await writeFile(`bench/results/${stamp}.md`, md);
  console.log(`\n${md}\nwritten to bench/results/${stamp}.json and .md`);
} finally {
  await ctx.fleet.stop();
  await ctx.receiver.close();
  await ctx.fanout.close();
  await otlp?.close();
  await ctx.sql.end({ timeout: 5 });
  await pg.stop();
}
