// Prometheus metrics (prom-client), one registry per Herald (tests run several in a process).
// Each process counts what it did itself: events it accepted, attempts it made, batches it
// wrote. What lives in the database (the queue, endpoints by circuit state, connections) is read
// by one query per scrape, cached for a moment so many scrapers do not add load, and carries
// the same value in every process: with --processes the supervisor's aggregate takes it once
// (aggregator "first"); across separately scraped processes, take max(), not sum().
// Label sets are bounded: kinds, results, statuses and error kinds are fixed lists; endpoints
// get series of their own only when named in HERALD_METRICS_ENDPOINTS.
// With HERALD_METRICS=off nothing is counted (every method returns at once) and nothing served.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Context } from "../context.ts";
import type { Sql } from "../db/connect.ts";
import type { OutcomeKind } from "../delivery/sender.ts";
import { queueNow } from "../stats/overview.ts";

/** Where an event came in: POST /v1/events, an item of /v1/events/batch, POST /events, /in/:id. */
export type IngestKind = "api" | "batch" | "seed" | "source";
export type IngestResultKind = "accepted" | "deduplicated" | "conflict" | "rejected" | "failed";

/** What an attempt led to: the delivery done, to be tried again, or given up. */
export type AttemptResult = "succeeded" | "retrying" | "failed";

/** The routes whose duration is the ingest histogram's, by their route label. */
export const INGEST_ROUTES: Record<string, IngestKind> = {
  "/v1/events": "api",
  "/v1/events/batch": "batch",
  "/events": "seed",
  "/in/:source_id": "source",
};

/** Database readings are reused for this long: a scrape every second costs one query a second. */
const DB_CACHE_MS = 2_000;

/** What the worker tells the metrics about its slots when scraped. */
export interface SlotReading {
  busy: number;
  free: number;
  probes: number;
  waiting: number;
}

interface DbReading {
  queue: Awaited<ReturnType<typeof queueNow>>;
  endpoints: { circuit: string; enabled: boolean; n: number }[];
  connections: { state: string; n: number }[];
}

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const ATTEMPT_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const DELAY_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const BATCH_SIZES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

export class Metrics {
  readonly registry = new Registry();
  readonly enabled: boolean;
  private readonly perEndpoint: ReadonlySet<string>;
  private slots: (() => SlotReading) | undefined;
  private reading: { at: number; value: Promise<DbReading> } | undefined;

  private readonly ingested: Counter<"kind" | "result">;
  private readonly ingestSeconds: Histogram<"route">;
  private readonly finished: Counter<"status">;
  private readonly attempts: Counter<"result" | "error_kind">;
  private readonly attemptSeconds: Histogram<"result">;
  private readonly firstAttemptDelay: Histogram;
  private readonly claimSize: Histogram;
  private readonly completionSize: Histogram;
  private readonly endpointAttempts: Counter<"endpoint" | "result">;
  private readonly endpointSeconds: Histogram<"endpoint">;

  constructor(private readonly ctx: Pick<Context, "config" | "log"> & { sql?: Sql }) {
    const { config } = ctx;
    this.enabled = config.metrics;
    this.perEndpoint = new Set(config.metricsEndpoints);
    const registers = [this.registry];
    this.ingested = new Counter({
      name: "herald_events_ingested_total",
      help: "Events Herald was asked to accept, by where they came in and what came of it",
      labelNames: ["kind", "result"],
      registers,
    });
    this.ingestSeconds = new Histogram({
      name: "herald_ingest_request_duration_seconds",
      help: "Ingest requests from arrival to the answer (the commit included), by route",
      labelNames: ["route"],
      buckets: SECONDS,
      registers,
    });
    this.finished = new Counter({
      name: "herald_deliveries_finished_total",
      help: "Deliveries this process brought to an end, by final status",
      labelNames: ["status"],
      registers,
    });
    this.attempts = new Counter({
      name: "herald_attempts_total",
      help: "Attempts made, by what they led to and their error kind (ok for a 2xx)",
      labelNames: ["result", "error_kind"],
      registers,
    });
    this.attemptSeconds = new Histogram({
      name: "herald_attempt_duration_seconds",
      help: "Attempts from sending to the receiver's answer (or the error), by what they led to",
      labelNames: ["result"],
      buckets: ATTEMPT_SECONDS,
      registers,
    });
    this.firstAttemptDelay = new Histogram({
      name: "herald_delivery_first_attempt_delay_seconds",
      help: "From a delivery's creation (the 202) to its first attempt starting",
      buckets: DELAY_SECONDS,
      registers,
    });
    this.claimSize = new Histogram({
      name: "herald_worker_claim_batch_size",
      help: "Deliveries each claim brought back",
      buckets: BATCH_SIZES,
      registers,
    });
    this.completionSize = new Histogram({
      name: "herald_worker_completion_batch_size",
      help: "Attempt outcomes recorded by each completion write",
      buckets: BATCH_SIZES,
      registers,
    });
    this.endpointAttempts = new Counter({
      name: "herald_endpoint_attempts_total",
      help: "Attempts to the endpoints named in HERALD_METRICS_ENDPOINTS, by what they led to",
      labelNames: ["endpoint", "result"],
      registers,
    });
    this.endpointSeconds = new Histogram({
      name: "herald_endpoint_attempt_duration_seconds",
      help: "Attempt durations of the endpoints named in HERALD_METRICS_ENDPOINTS",
      labelNames: ["endpoint"],
      buckets: ATTEMPT_SECONDS,
      registers,
    });
    const metrics = this;
    new Gauge({
      name: "herald_worker_slots",
      help: "This process's delivery slots: busy (attempts to healthy or failing endpoints) and free",
      labelNames: ["state"],
      registers,
      collect() {
        const s = metrics.slots?.();
        this.set({ state: "busy" }, s?.busy ?? 0);
        this.set({ state: "free" }, s?.free ?? 0);
      },
    });
    new Gauge({
      name: "herald_worker_probes_in_flight",
      help: "Probe attempts (to endpoints with no outcome yet) in flight, on sockets beside the slots",
      registers,
      collect() {
        this.set(metrics.slots?.().probes ?? 0);
      },
    });
    new Gauge({
      name: "herald_worker_waiting",
      help: "Claimed deliveries waiting for a slot of their endpoint (max_in_flight)",
      registers,
      collect() {
        this.set(metrics.slots?.().waiting ?? 0);
      },
    });
    // The database's gauges: one reading per scrape (cached), the same in every process.
    new Gauge({
      name: "herald_queue_deliveries",
      help: "Queued deliveries by status: pending (first attempt), retrying, in_flight",
      labelNames: ["status"],
      aggregator: "first",
      registers,
      async collect() {
        const r = await metrics.read();
        if (!r) return;
        this.set({ status: "pending" }, r.queue.pending);
        this.set({ status: "retrying" }, r.queue.retrying);
        this.set({ status: "in_flight" }, r.queue.in_flight);
      },
    });
    new Gauge({
      name: "herald_queue_due",
      help: "Pending deliveries due now (waiting for a worker)",
      aggregator: "first",
      registers,
      async collect() {
        const r = await metrics.read();
        if (r) this.set(r.queue.due);
      },
    });
    new Gauge({
      name: "herald_queue_oldest_due_age_seconds",
      help: "How long the longest-waiting due delivery has been due (0: none due)",
      aggregator: "first",
      registers,
      async collect() {
        const r = await metrics.read();
        if (r) this.set(r.queue.oldest_due_age_seconds ?? 0);
      },
    });
    new Gauge({
      name: "herald_endpoints",
      help: "Endpoints (not deleted) by circuit state (closed, open, half_open) and enabled",
      labelNames: ["circuit", "enabled"],
      aggregator: "first",
      registers,
      async collect() {
        const r = await metrics.read();
        if (!r) return;
        this.reset();
        for (const circuit of ["closed", "open", "half_open"]) {
          for (const enabled of [true, false]) {
            const n =
              r.endpoints.find((e) => e.circuit === circuit && e.enabled === enabled)?.n ?? 0;
            this.set({ circuit, enabled: String(enabled) }, n);
          }
        }
      },
    });
    new Gauge({
      name: "herald_db_connections",
      help: "Connections Herald's processes hold to its database, by state (pg_stat_activity)",
      labelNames: ["state"],
      aggregator: "first",
      registers,
      async collect() {
        const r = await metrics.read();
        if (!r) return;
        this.reset();
        for (const c of r.connections) this.set({ state: c.state }, c.n);
      },
    });
    if (this.enabled) {
      collectDefaultMetrics({ register: this.registry });
      // Gauges named like counters (promtool's lint refuses them); nodejs_active_handles and
      // friends, by type, say the same.
      for (const name of [
        "nodejs_active_handles_total",
        "nodejs_active_requests_total",
        "nodejs_active_resources_total",
      ]) {
        this.registry.removeSingleMetric(name);
      }
    }
  }

  /** The worker's slots, read at each scrape. */
  watchSlots(read: () => SlotReading): void {
    this.slots = read;
  }

  ingest(kind: IngestKind, result: IngestResultKind, n = 1): void {
    if (this.enabled && n > 0) this.ingested.inc({ kind, result }, n);
  }

  ingestRequest(route: string, seconds: number): void {
    if (this.enabled) this.ingestSeconds.observe({ route }, seconds);
  }

  /** One attempt's end: `attempt` is its number (1: the first), `enqueuedAt` the delivery's making. */
  attempted(
    endpointId: string,
    attempt: number,
    enqueuedAt: Date,
    kind: OutcomeKind,
    result: AttemptResult,
    startedAt: number,
    durationMs: number,
  ): void {
    if (!this.enabled) return;
    this.attempts.inc({ result, error_kind: kind });
    this.attemptSeconds.observe({ result }, durationMs / 1000);
    if (attempt === 1) {
      this.firstAttemptDelay.observe(Math.max(0, startedAt - enqueuedAt.getTime()) / 1000);
    }
    if (result !== "retrying") this.finished.inc({ status: result });
    if (this.perEndpoint.has(endpointId)) {
      this.endpointAttempts.inc({ endpoint: endpointId, result });
      this.endpointSeconds.observe({ endpoint: endpointId }, durationMs / 1000);
    }
  }

  claimed(n: number): void {
    if (this.enabled) this.claimSize.observe(n);
  }

  recorded(n: number): void {
    if (this.enabled) this.completionSize.observe(n);
  }

  /** The exposition text, and its content type. */
  async exposition(): Promise<{ text: string; contentType: string }> {
    return { text: await this.registry.metrics(), contentType: this.registry.contentType };
  }

  /** The database's reading, shared by the gauges of one scrape and those within DB_CACHE_MS. */
  private read(): Promise<DbReading | undefined> {
    const { sql } = this.ctx;
    if (!sql || !this.enabled) return Promise.resolve(undefined);
    const now = Date.now();
    if (!this.reading || now - this.reading.at > DB_CACHE_MS) {
      const value = readDatabase(sql, this.ctx.config.circuitFailures);
      this.reading = { at: now, value };
      // A failed reading is not kept: the next scrape tries again.
      value.catch(() => {
        if (this.reading?.value === value) this.reading = undefined;
      });
    }
    return this.reading.value.catch((err) => {
      this.ctx.log.warn({ err }, "metrics: reading the queue failed");
      return undefined;
    });
  }
}

async function readDatabase(sql: Sql, circuitFailures: number): Promise<DbReading> {
  const [queue, endpoints, connections] = await Promise.all([
    queueNow(sql),
    sql<{ circuit: string; enabled: boolean; n: number }[]>`
      select case when circuit_open_until > now() then 'open'
                  when circuit_open_until is not null and consecutive_failures >= ${circuitFailures}
                  then 'half_open'
                  else 'closed' end as circuit,
             enabled, count(*)::int as n
      from endpoints where deleted_at is null group by 1, 2`,
    sql<{ state: string; n: number }[]>`
      select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity
      where datname = current_database() and application_name = 'herald' group by 1`,
  ]);
  return { queue, endpoints: [...endpoints], connections: [...connections] };
}
