// What every bench phase gets: the database, the Herald processes, the receivers, the sizes
// of this run, and the figures one phase leaves for a later one to compare with.
import type { Sql } from "../../src/db/connect.ts";
import type { Fleet } from "./herald.ts";
import type { Receiver } from "./receiver.ts";
import type { Row } from "./report.ts";

/** Taken by the one bench endpoint (the receiver `receiver`). */
export const BENCH_TYPE = "bench.event";
/** Taken by the fan-out endpoints only (the receiver `fanout`, one port each). */
export const FANOUT_TYPE = "fanout.event";

export interface Sizes {
  /** The closed-loop ingest runs once per concurrency. */
  ingest: { events: number; concurrencies: number[] };
  ingestRate: { rate: number; seconds: number; connections: number };
  drain: { backlog: number; workers: number[] };
  latency: { rate: number; seconds: number; connections: number; idleSamples: number };
  fanout: { endpoints: number; events: number; concurrency: number; workers: number };
  /** Endpoints and events per endpoint type (one delivery per endpoint per event). */
  neighbours: { healthy: number; dead: number; healthyEvents: number; deadEvents: number };
  seedApi: { events: number; concurrency: number };
  /** POST /v1/events/batch: events in all, requests in flight. */
  batch: { events: number; concurrency: number };
  /** The outbox relay: a backlog's rows, then `rate` rows/s for `seconds`. */
  outbox: { backlog: number; rate: number; seconds: number };
  /** Ingest and delivery at once: closed loop at `concurrency`, then `rate`/s offered. */
  mixed: { seconds: number; concurrency: number; rate: number; connections: number };
  defaultEndpoint: { backlog: number };
  memory: { events: number; seconds: number };
  aged: { total: number; chunk: number; workers: number };
  /** Finished deliveries kept beside the queue. */
  retained: { total: number };
}

/** Full size, or `quick`: a smoke run of about a minute (the aged phase apart). */
export function sizesFor(quick: boolean, events?: number, concurrencies?: number[]): Sizes {
  const concurrency = concurrencies?.[0] ?? 64;
  const q = <T>(full: T, small: T) => (quick ? small : full);
  return {
    ingest: {
      events: events ?? q(50_000, 5_000),
      concurrencies: concurrencies ?? q([64, 128, 256], [64]),
    },
    ingestRate: { rate: 5_000, seconds: q(10, 3), connections: 256 },
    drain: { backlog: q(100_000, 10_000), workers: [1, 2, 4] },
    latency: { rate: 1_000, seconds: q(10, 3), connections: 256, idleSamples: q(200, 50) },
    fanout: { endpoints: 50, events: q(2_000, 200), concurrency, workers: 2 },
    neighbours: { healthy: 50, dead: 200, healthyEvents: q(200, 40), deadEvents: 10 },
    seedApi: { events: q(20_000, 2_000), concurrency },
    batch: { events: q(200_000, 20_000), concurrency: 4 },
    outbox: { backlog: q(100_000, 10_000), rate: 2_000, seconds: q(10, 3) },
    mixed: { seconds: q(15, 3), concurrency, rate: 2_500, connections: 256 },
    defaultEndpoint: { backlog: q(30_000, 3_000) },
    // 50 deliveries per event: 1,000,000 (quick: 100,000) pending.
    memory: { events: q(20_000, 2_000), seconds: q(20, 5) },
    aged: { total: q(1_000_000, 50_000), chunk: q(100_000, 10_000), workers: 2 },
    retained: { total: q(10_000_000, 200_000) },
  };
}

export interface DrainBaseline {
  deliveries: number;
  deliveries_per_s: number;
  /** Peak RSS of the one worker (VmHWM), MB. */
  worker_peak_mb: number;
}

export interface BenchContext {
  databaseUrl: string;
  sql: Sql;
  fleet: Fleet;
  /** Receives the bench endpoint's deliveries. */
  receiver: Receiver;
  /** That receiver's URL. */
  receiverUrl: string;
  /** Receives the fan-out endpoints' deliveries, one port per endpoint. */
  fanout: Receiver;
  sizes: Sizes;
  /** The fresh 1-worker drain, set by the drain phase (or by the aged phase when it ran alone). */
  baseline: { drain1?: DrainBaseline };
}

export interface PhaseResult {
  /** Everything measured, for the JSON file. */
  data: Record<string, unknown>;
  rows: Row[];
}

export type Phase = (ctx: BenchContext) => Promise<PhaseResult>;
