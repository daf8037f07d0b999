// GET /v1/stats/overview (and the stream's `stats` messages, which carry the same document)
// turned into what the overview screen shows. Counts Herald only estimated (very large
// tables) are marked, and shown with "≈".
import type { operations } from "../../../sdk/src/schema.ts";
import type { ChartPoint } from "../components/throughput-chart.tsx";

/** GET /v1/stats/overview's answer, as the OpenAPI document describes it. */
export type OverviewJson =
  operations["getV1StatsOverview"]["responses"][200]["content"]["application/json"];

export interface OverviewStats {
  asOf: number;
  eventsAccepted: number;
  eventsRecent: number;
  eventsEstimated: boolean;
  succeeded: number;
  retrying: number;
  failed: number;
  deliveriesEstimated: boolean;
  queueDepth: number;
  queueEstimated: boolean;
  oldestPendingMs: number | null;
  bucketMs: number;
  windowMs: number;
  series: ChartPoint[];
  windowSucceeded: number;
  windowFailed: number;
}

/** True if `raw` looks like an overview document (a stream message may be anything). */
export function isOverview(raw: unknown): raw is OverviewJson {
  const doc = raw as Partial<OverviewJson> | null;
  return (
    typeof doc?.as_of === "string" &&
    typeof doc.events?.accepted === "number" &&
    typeof doc.deliveries?.succeeded === "number" &&
    typeof doc.queue?.depth === "number" &&
    Array.isArray(doc.series?.points)
  );
}

export function toOverview(doc: OverviewJson): OverviewStats {
  const age = doc.queue.oldest_pending_age_seconds;
  return {
    asOf: Date.parse(doc.as_of),
    eventsAccepted: doc.events.accepted,
    eventsRecent: doc.events.last_15m,
    eventsEstimated: doc.events.estimated,
    succeeded: doc.deliveries.succeeded,
    retrying: doc.deliveries.retrying,
    failed: doc.deliveries.failed,
    deliveriesEstimated: doc.deliveries.estimated,
    queueDepth: doc.queue.depth,
    queueEstimated: doc.queue.estimated,
    oldestPendingMs: age === null ? null : age * 1000,
    bucketMs: doc.series.bucket_seconds * 1000,
    windowMs: doc.series.window_seconds * 1000,
    series: doc.series.points.map((p) => ({
      at: Date.parse(p.at),
      succeeded: p.succeeded,
      failed: p.failed,
    })),
    windowSucceeded: doc.series.succeeded,
    windowFailed: doc.series.failed,
  };
}
