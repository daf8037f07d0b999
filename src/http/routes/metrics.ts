// GET /metrics on the API's port, with an admin or admin:read key; and the ingest routes'
// numbers (duration, what came of each request) taken as they answer, and their spans when
// tracing (tracing/tracing.ts). HERALD_METRICS_PORT serves the same text without a key on a
// port of its own (metrics/server.ts).
import type { FastifyInstance } from "fastify";
import type { Context } from "../../context.ts";
import { INGEST_ROUTES, type IngestResultKind } from "../../metrics/metrics.ts";
import type { IngestSpan } from "../../tracing/tracing.ts";

/** What an ingest answer says of its event. */
function resultOf(status: number): IngestResultKind {
  if (status === 202) return "accepted";
  if (status === 200) return "deduplicated";
  if (status === 409) return "conflict";
  return status >= 500 ? "failed" : "rejected";
}

declare module "fastify" {
  interface FastifyRequest {
    /** The ingest request's span, when tracing: its traceparent goes with the events. */
    ingestSpan: IngestSpan | undefined;
  }
}

export function metricsRoutes(app: FastifyInstance, ctx: Context): void {
  const { metrics, tracing } = ctx;
  if (tracing) {
    app.decorateRequest("ingestSpan", undefined);
    app.addHook("onRequest", async (req) => {
      const route = req.routeOptions.url;
      if (req.method === "POST" && route !== undefined && INGEST_ROUTES[route]) {
        req.ingestSpan = tracing.ingest(route, req.headers);
      }
    });
    app.addHook("onResponse", async (req, reply) => req.ingestSpan?.end(reply.statusCode));
  }
  if (!metrics.enabled) return;
  app.addHook("onResponse", async (req, reply) => {
    if (req.method !== "POST") return;
    const route = req.routeOptions.url;
    const kind = route === undefined ? undefined : INGEST_ROUTES[route];
    if (!kind || route === undefined) return;
    metrics.ingestRequest(route, reply.elapsedTime / 1000);
    // A batch's items are counted by the route, each with its own result.
    if (kind !== "batch") metrics.ingest(kind, resultOf(reply.statusCode));
  });

  app.get("/metrics", { config: { operator: true, keyed: true } }, async (_req, reply) => {
    const { text, contentType } = await metrics.exposition();
    reply.type(contentType);
    return text;
  });
}
