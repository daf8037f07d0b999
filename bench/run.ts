// `npm run bench [-- --quick]`: measures Herald on this machine, end to end, with real processes.
//   ingest  — POST /v1/events at fixed concurrency against an API-only Herald (one matching
//             endpoint, so each event also writes a delivery): events/s and latency.
//   drain   — a worker process delivers that backlog to a local receiver answering 200 at once.
//   latency — on an idle system, single events one at a time: time from the 202 to the
//             receiver seeing the request.
// PostgreSQL: a fresh embedded server in a temp dir (or DATABASE_URL). Results go to
// bench/results/<timestamp>.json and .md.
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { connect } from "../src/db/connect.ts";
import { postgresForRun } from "../test/support/postgres.ts";
import { spawnHerald } from "../test/support/processes.ts";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    events: { type: "string" },
    concurrency: { type: "string", default: "64" },
    /** Write a V8 CPU profile of each Herald process into this folder. */
    profile: { type: "string" },
  },
});
const EVENTS = Number(values.events ?? (values.quick ? 5_000 : 50_000));
const CONCURRENCY = Number(values.concurrency);
const KEY = "bench-key-0123456789";

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** `herald serve --role <role>` logging warnings only, its output copied to ours. */
function startHerald(role: string, waitFor: "ready" | "spawned") {
  const env = { DATABASE_URL: pg.url, HERALD_API_KEY: KEY, HERALD_LOG_LEVEL: "warn" };
  const nodeArgs = values.profile ? ["--cpu-prof", `--cpu-prof-dir=${values.profile}`] : [];
  // Our HERALD_* settings (say HERALD_WORKER_CONCURRENCY) reach the Herald under test.
  return spawnHerald(["--role", role], env, {
    waitFor,
    baseEnv: process.env,
    echo: true,
    nodeArgs,
  });
}

// --- database ---
const pg = await postgresForRun("herald-bench");
const sql = connect(pg.url, 2);

// --- receiver: answers 200 at once; notes when each webhook-id first arrived ---
const arrivals = new Map<string, number>();
const receiver = createServer((req, res) => {
  const id = req.headers["webhook-id"] as string;
  if (!arrivals.has(id)) arrivals.set(id, performance.now());
  req.resume();
  req.on("end", () => res.writeHead(200, { "content-length": "0" }).end());
});
receiver.keepAliveTimeout = 60_000;
await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;

const api = await startHerald("api", "ready");
const pool = new Pool(api.url, { connections: CONCURRENCY, pipelining: 1 });
const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };

async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await pool.request({ path, method: "POST", headers, body: JSON.stringify(body) });
  return { status: res.statusCode, body: await res.body.json() };
}
// The drain measures Herald, not the per-endpoint cap (default 10): let the endpoint take all.
const ep = await post("/v1/endpoints", {
  url: receiverUrl,
  event_types: ["bench.event"],
  max_in_flight: 1000,
});

// --- ingest ---
const payload = {
  amount: 4200,
  currency: "EUR",
  customer: "cus_0123456789",
  note: "x".repeat(200),
};
const latencies: number[] = [];
let errors = 0;
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < EVENTS) {
      next++;
      const start = performance.now();
      const res = await post("/v1/events", { type: "bench.event", payload });
      latencies.push(performance.now() - start);
      if (res.status !== 202) errors++;
    }
  }),
);
const ingestSeconds = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const ingest = {
  events: EVENTS,
  concurrency: CONCURRENCY,
  events_per_s: Math.round(EVENTS / ingestSeconds),
  p50_ms: round(percentile(latencies, 50)),
  p99_ms: round(percentile(latencies, 99)),
  max_ms: round(latencies.at(-1) ?? 0),
  errors,
};
console.log("ingest", ingest);

// --- drain ---
const t1 = performance.now();
const worker = await startHerald("worker", "spawned");
for (;;) {
  const [row] = await sql`select count(*)::int as n from deliveries where status = 'succeeded'`;
  if ((row?.n ?? 0) >= EVENTS) break;
  await new Promise((r) => setTimeout(r, 100));
}
const drainSeconds = (performance.now() - t1) / 1000; // includes the worker's ~1 s start
const drain = {
  deliveries: EVENTS,
  workers: 1,
  deliveries_per_s: Math.round(EVENTS / drainSeconds),
  seconds_including_worker_start: round(drainSeconds, 2),
};
console.log("drain", drain);

// --- latency, idle system: 202 → receiver ---
const samples: number[] = [];
for (let i = 0; i < (values.quick ? 50 : 200); i++) {
  const res = await post("/v1/events", { type: "bench.event", payload: { i } });
  const acked = performance.now();
  const id = res.body.id as string;
  while (!arrivals.has(id)) await new Promise((r) => setImmediate(r));
  samples.push((arrivals.get(id) as number) - acked);
  await new Promise((r) => setTimeout(r, 20));
}
samples.sort((a, b) => a - b);
const latency = {
  samples: samples.length,
  p50_ms: round(percentile(samples, 50), 2),
  p99_ms: round(percentile(samples, 99), 2),
  max_ms: round(samples.at(-1) ?? 0, 2),
};
console.log("202 → first attempt", latency);

await worker.stop();
await api.stop();
await pool.close();
receiver.close();
await sql.end();
await pg.stop();

const machine = {
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memory_gib: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
const result = {
  at: new Date().toISOString(),
  quick: values.quick,
  machine,
  endpoint: ep.body.id,
  ingest,
  drain,
  latency,
};
await mkdir("bench/results", { recursive: true });
const stamp = result.at.replace(/[:.]/g, "-");
await writeFile(`bench/results/${stamp}.json`, `${JSON.stringify(result, null, 2)}\n`);
const md = `| figure | value |
| --- | --- |
| machine | ${machine.cores} × ${machine.cpu}, ${machine.memory_gib} GiB, Node ${machine.node} |
| ingest (${EVENTS} events, concurrency ${CONCURRENCY}) | ${ingest.events_per_s} events/s, p50 ${ingest.p50_ms} ms, p99 ${ingest.p99_ms} ms, max ${ingest.max_ms} ms, ${errors} errors |
| drain (1 worker) | ${drain.deliveries_per_s} deliveries/s (${drain.seconds_including_worker_start} s incl. worker start) |
| 202 → first attempt, idle | p50 ${latency.p50_ms} ms, p99 ${latency.p99_ms} ms (${latency.samples} events) |
`;
await writeFile(`bench/results/${stamp}.md`, md);
console.log(`\n${md}`);
