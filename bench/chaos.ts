// `npm run chaos [-- --quick]`: tries hard to lose events and reports what happened.
// Against one PostgreSQL (DATABASE_URL, or an embedded one in a temp dir that this script can
// restart) it runs N API and M worker processes and a receiver that fails and hangs a share
// of requests. Concurrent producers send events, retrying on 503 and network errors with the
// same id (so a retry dedupes), while the run SIGKILLs workers and an API process, restarts
// PostgreSQL (fast shutdown) and takes the receiver offline. Then it waits for the queue to
// drain and checks: every acknowledged event reached the receiver, nothing is left pending or
// in flight, no id is stored twice. Exits 1 if anything was lost or stuck. The report goes to
// stdout and docs/reliability.md.
//
// `--failover` runs against a primary with a synchronous standby instead (chaos-replicas.ts),
// Herald given both in a multi-host DATABASE_URL: mid-load the primary is SIGKILLed and the
// standby promoted; the same checks, and how long producers were refused.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pino from "pino";
import { connect } from "../src/db/connect.ts";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../src/db/embedded.ts";
import { freePort } from "../test/support/processes.ts";
import { Fleet } from "./chaos-fleet.ts";
import { startChaosReceiver } from "./chaos-receiver.ts";
import {
  type ReplicatedPair,
  replicationToolsMissing,
  startReplicatedPair,
} from "./chaos-replicas.ts";
import { failoverSection, markdownTable, reliabilityPage, withFailover } from "./chaos-report.ts";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    failover: { type: "boolean", default: false },
    events: { type: "string" },
    apis: { type: "string", default: "2" },
    workers: { type: "string", default: "3" },
    concurrency: { type: "string", default: "32" },
    "failure-rate": { type: "string", default: "0.3" },
    "timeout-rate": { type: "string", default: "0.05" },
    /** Seconds to wait for the queue to drain after the last event was acknowledged. */
    "drain-timeout": { type: "string", default: "600" },
  },
});
const QUICK = values.quick === true;
const FAILOVER = values.failover === true;
const EVENTS = Number(values.events ?? (QUICK ? 2_000 : 20_000));
const APIS = Number(values.apis);
const WORKERS = Number(values.workers);
const CONCURRENCY = Number(values.concurrency);
const KEY = "chaos-key-0123456789-abcdefghijklmnop";
const TYPE = "chaos.event";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) =>
  console.log(`[${((performance.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const t0 = performance.now();
const notes: string[] = [];

// --- PostgreSQL: ours (restartable) unless DATABASE_URL names one ---
let pg: EmbeddedPostgres | undefined;
let dataDir: string | undefined;
let pgPort = 0;
let dbUrl = process.env.DATABASE_URL ?? "";
const pgLog = pino({ level: "warn" });
let pair: ReplicatedPair | undefined;
if (FAILOVER) {
  const missing = replicationToolsMissing();
  if (missing) {
    console.error(`chaos --failover needs PostgreSQL's replication tools: ${missing}`);
    process.exit(2);
  }
  pair = await startReplicatedPair();
  dbUrl = pair.url;
  log(`primary on ${pair.primaryPort}, synchronous standby on ${pair.standbyPort}`);
} else if (!dbUrl) {
  dataDir = await mkdtemp(join(tmpdir(), "herald-chaos-"));
  pgPort = await freePort();
  pg = await startEmbeddedPostgres({ dataDir, port: pgPort, log: pgLog });
  dbUrl = pg.url;
} else {
  notes.push("PostgreSQL restart skipped: DATABASE_URL is set, so the server is not ours.");
}

// --- receiver and Herald processes ---
const receiver = await startChaosReceiver({
  failureRate: Number(values["failure-rate"]),
  timeoutRate: Number(values["timeout-rate"]),
});
const fleet = new Fleet({
  DATABASE_URL: dbUrl,
  HERALD_API_KEY: KEY,
  HERALD_TIMEOUT_MS: "1000",
  HERALD_LEASE_MS: "3000",
  HERALD_RETRY_BASE_MS: "100",
  HERALD_RETRY_MAX_WAIT_MS: "2000",
  HERALD_CIRCUIT_FAILURES: "1000000",
  HERALD_ALLOW_PRIVATE_NETWORKS: "true",
  HERALD_POLL_INTERVAL_MS: "250",
});
await fleet.add("api"); // the first one runs the migrations alone
for (let i = 1; i < APIS; i++) await fleet.add("api");
await Promise.all(Array.from({ length: WORKERS }, () => fleet.add("worker")));
const apis = fleet.of("api");
const auth = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
const created = await fetch(`${apis[0]?.url}/v1/endpoints`, {
  method: "POST",
  headers: auth,
  body: JSON.stringify({ url: receiver.url, event_types: [TYPE], max_in_flight: 1000 }),
});
if (created.status !== 201) throw new Error(`creating the endpoint: ${await created.text()}`);
// Every count below is about this run's endpoint and events: a DATABASE_URL may hold others.
const endpointId = ((await created.json()) as { id: string }).id;
log(`${APIS} api, ${WORKERS} workers, receiver ${receiver.url}; sending ${EVENTS} events`);

// --- chaos actions, triggered by how far the sending has got ---
const chaos: Promise<void>[] = [];
const actions: string[] = [];
const act = (what: string, fn: () => Promise<void>) => {
  log(`chaos: ${what}`);
  actions.push(what);
  chaos.push(fn().catch((err) => log(`chaos action failed: ${what}: ${String(err)}`)));
};
const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;
const plan: { at: number; what: string; fn: () => Promise<void> }[] = [
  {
    at: 0.25,
    what: "SIGKILL an API process, restart it",
    fn: () => fleet.killAndRestart(pick(apis)),
  },
  {
    at: 0.6,
    what: "receiver offline for 3 s",
    fn: async () => {
      await receiver.offline();
      await sleep(3000);
      await receiver.online();
    },
  },
];
/** performance.now() of the failover's steps, for the report. */
const failover = { killedAt: 0, promotedAt: 0 };
/** performance.now() of every acknowledgement, for the longest time producers went without. */
const ackTimes: number[] = [];
if (pair) {
  // Only the failover: the other kinds of chaos have the plain run.
  plan.length = 0;
  plan.push({
    at: 0.4,
    what: "SIGKILL the primary, promote the standby",
    fn: async () => {
      failover.killedAt = performance.now();
      await pair?.killPrimary();
      // What an operator's (or a managed service's) failover takes at the very least.
      await sleep(1000);
      await pair?.promoteStandby();
      failover.promotedAt = performance.now();
      log("chaos: standby promoted");
    },
  });
}
if (pg) {
  plan.push({
    at: 0.4,
    what: "restart PostgreSQL (fast shutdown)",
    fn: async () => {
      await pg?.stop();
      await sleep(1000);
      pg = await startEmbeddedPostgres({ dataDir: dataDir as string, port: pgPort, log: pgLog });
    },
  });
}
const killWorker = () => fleet.killAndRestart(pick(fleet.of("worker")));
if (QUICK && !pair) plan.push({ at: 0.15, what: "SIGKILL a worker, restart it", fn: killWorker });
plan.sort((a, b) => a.at - b.at);
let workerKiller: NodeJS.Timeout | undefined;
if (!QUICK && !pair) {
  workerKiller = setInterval(() => act("SIGKILL a random worker, restart it", killWorker), 3000);
}

// --- producers ---
const runId = Date.now().toString(36);
const acked = new Set<string>();
const rejected = new Map<number, number>();
const retries = { unavailable: 0, network: 0, timeout: 0 };
let dedupedAcks = 0;
let next = 0;
async function send(i: number): Promise<void> {
  const id = `chaos_${runId}_${i}`;
  const body = JSON.stringify({ id, type: TYPE, payload: { i } });
  for (let attempt = 0; ; attempt++) {
    const api = apis[(i + attempt) % apis.length];
    try {
      const res = await fetch(`${api?.url}/v1/events`, {
        method: "POST",
        headers: auth,
        body,
        signal: AbortSignal.timeout(15_000),
      });
      await res.arrayBuffer();
      if (res.status === 202 || res.status === 200) {
        if (res.status === 200) dedupedAcks++;
        acked.add(id);
        ackTimes.push(performance.now());
        return;
      }
      if (res.status !== 503) {
        rejected.set(res.status, (rejected.get(res.status) ?? 0) + 1);
        return;
      }
      retries.unavailable++;
    } catch (err) {
      // connection refused or reset, or no answer in time: retry, as a producer would
      if ((err as Error).name === "TimeoutError") retries.timeout++;
      else retries.network++;
    }
    await sleep(Math.min(1000, 50 * 2 ** Math.min(attempt, 5)));
  }
}
const tSend = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < EVENTS) {
      const i = next++;
      while (plan.length && i >= (plan[0] as { at: number }).at * EVENTS) {
        const step = plan.shift();
        if (step) act(step.what, step.fn);
      }
      await send(i);
    }
  }),
);
clearInterval(workerKiller);
const sendSeconds = (performance.now() - tSend) / 1000;
log(
  `sent: ${acked.size} acknowledged in ${sendSeconds.toFixed(1)} s, ${retries.unavailable + retries.network + retries.timeout} producer retries`,
);
await Promise.all(chaos);

// --- drain ---
const sql = connect(dbUrl, 2);
const deadline = Date.now() + Number(values["drain-timeout"]) * 1000;
let open = Number.POSITIVE_INFINITY;
while (Date.now() < deadline) {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from deliveries
    where endpoint_id = ${endpointId} and status in ('pending', 'in_flight')`.catch(() => [
    { n: Number.POSITIVE_INFINITY },
  ]);
  open = row?.n ?? 0;
  if (open === 0) break;
  await sleep(500);
}
log(open === 0 ? "drained" : `NOT drained: ${open} deliveries still pending or in flight`);
await sleep(500); // a 200 counted by the receiver whose attempt is still being recorded

// --- report ---
const counts = async () => {
  const byStatus = await sql<{ status: string; n: number }[]>`
    select status, count(*)::int as n from all_deliveries where endpoint_id = ${endpointId} group by status`;
  const status = (s: string) => byStatus.find((r) => r.status === s)?.n ?? 0;
  const [stored] = await sql<{ events: number; ids: number; halfStored: number }[]>`
    select count(*)::int as events, count(distinct (id, tenant))::int as ids,
      count(*) filter (where not exists (select 1 from all_deliveries d where d.event_seq = e.seq))::int
        as "halfStored"
    from events e where id like ${`chaos_${runId}_%`}`;
  const [leases] = await sql<{ n: number }[]>`
    select count(*)::int as n from deliveries
    where endpoint_id = ${endpointId} and status = 'in_flight' and lease_expires_at < now()`;
  const [attempts] = await sql<{ n: number; kinds: Record<string, number> }[]>`
    select sum(n)::int as n, jsonb_object_agg(kind, n) as kinds from (
      select coalesce(error_kind, 'ok') as kind, count(*)::int as n from attempts
      where endpoint_id = ${endpointId} group by 1
    ) k`;
  return { status, stored, leases, attempts };
};
const db = await counts();
const deliveredAcked = [...acked].filter((id) => receiver.delivered.has(id)).length;
const lost = acked.size - deliveredAcked;
let answered200 = 0;
for (const n of receiver.delivered.values()) answered200 += n;
const duplicates = answered200 - receiver.delivered.size;
const stuck = db.status("pending") + db.status("in_flight");
const multiRow = (db.stored?.events ?? 0) - (db.stored?.ids ?? 0);
const halfStored = db.stored?.halfStored ?? 0;
const wall = (performance.now() - t0) / 1000;
const errorLines = fleet.errors();
function longestGap(): number {
  let gap = 0;
  for (let i = 1; i < ackTimes.length; i++) {
    gap = Math.max(gap, (ackTimes[i] as number) - (ackTimes[i - 1] as number));
  }
  return gap;
}
const secs = (ms: number) => (ms > 0 ? `${(ms / 1000).toFixed(1)} s` : "–");
const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(2)} %` : "–");
const ok = lost === 0 && stuck === 0 && multiRow === 0 && halfStored === 0;

const rows: [string, string, string][] = [
  ["events sent", String(EVENTS), ""],
  ["events acknowledged (202, or 200 deduplicated)", String(acked.size), ""],
  [
    "producer retries: after a 503 / a network error / no answer in 15 s",
    `${retries.unavailable} / ${retries.network} / ${retries.timeout}`,
    `${dedupedAcks} retries were answered 200 (already stored)`,
  ],
  ["rejected with another status", JSON.stringify(Object.fromEntries(rejected)), ""],
  ["delivered at least once (unique webhook-id answered 200)", String(deliveredAcked), ""],
  ["**lost** (acknowledged, never delivered)", String(lost), "must be 0"],
  [
    "duplicates (200s beyond the first per webhook-id)",
    `${duplicates} (${pct(duplicates, receiver.delivered.size)})`,
    "",
  ],
  [
    "deliveries left pending / in_flight",
    `${db.status("pending")} / ${db.status("in_flight")}`,
    "must be 0",
  ],
  ["in_flight with an expired lease", String(db.leases?.n ?? 0), "must be 0"],
  ["deliveries failed (gave up)", String(db.status("failed")), ""],
  ["event ids stored in more than one row", String(multiRow), "must be 0"],
  ["events stored without their delivery (half-stored)", String(halfStored), "must be 0"],
  [
    "attempts recorded / requests the receiver saw",
    `${db.attempts?.n ?? 0} / ${receiver.requests()}`,
    `by outcome: ${Object.entries(db.attempts?.kinds ?? {})
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")}`,
  ],
  ...(pair
    ? ([
        [
          "failover: standby promoted after the primary was SIGKILLed / longest time without an acknowledgement",
          `${secs(failover.promotedAt - failover.killedAt)} / ${secs(longestGap())}`,
          "the promotion waits 1 s, as the quickest failover would",
        ],
      ] as [string, string, string][])
    : []),
  ["Herald processes SIGKILLed by the run", String(fleet.kills), ""],
  ["Herald processes that exited on their own", String(fleet.crashes.length), ""],
  ["error-level log lines from Herald processes", String(errorLines.length), ""],
  ["wall time", `${wall.toFixed(1)} s (sending ${sendSeconds.toFixed(1)} s)`, ""],
];
const args = process.argv.slice(2).join(" ");
const command = args ? `npm run chaos -- ${args}` : "npm run chaos";
const settings = `${APIS} API processes, ${WORKERS} workers, ${CONCURRENCY} producers; receiver fails ${values["failure-rate"]} with 500 and hangs ${values["timeout-rate"]} past the 1 s timeout`;
const table = markdownTable(rows);
const page = new URL("../docs/reliability.md", import.meta.url);
const previous = await readFile(page, "utf8").catch(() => "");
const run = { command, settings, actions, ok, table, notes };
// Each kind of full run replaces its own part of the page and keeps the other's.
const md = pair
  ? withFailover(previous, failoverSection(run))
  : withFailover(reliabilityPage(run), failoverSection.of(previous));
console.log(`\n${table}\n`);
const errorMsgs = new Map<string, number>();
for (const l of errorLines) {
  const msg = /"msg":"([^"]*)"/.exec(l)?.[1] ?? l.slice(0, 200);
  errorMsgs.set(msg, (errorMsgs.get(msg) ?? 0) + 1);
}
for (const [msg, n] of errorMsgs) console.log(`herald error log ×${n}: ${msg}`);
for (const c of fleet.crashes) console.log(`!! ${c.name} exited ${c.exit}:\n${c.tail}`);
if (rejected.size) console.log(`!! the API rejected events with statuses other than 503`);
for (const n of notes) console.log(`note: ${n}`);
// Only a full run replaces the page the README links; --quick prints its report and stops.
if (!QUICK) await writeFile(page, md);
console.log(`${ok ? "PASSED" : "FAILED"}${QUICK ? "" : "; report written to docs/reliability.md"}`);

await sql.end();
await fleet.stopAll();
await receiver.close();
if (pg) await pg.stop();
if (pair) await pair.stop();
if (dataDir) await rm(dataDir, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
