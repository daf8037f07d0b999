// The seed system's own API, so its clients work unchanged against Herald (README, "Coming from
// seed 000"): POST /events { target_url, payload } → 202 { id, status: "pending", message },
// extra body fields accepted and ignored as that system does; GET /events?status=&page=&limit=
// and GET /events/:id with its records; GET /health. Each target URL gets one endpoint (made on
// first use) that receives only these direct sends. Like POST /events, the reads need an admin
// key unless HERALD_SEED_API=open (loopback only, see app.ts): they show payloads.
import type { FastifyInstance } from "fastify";
import type { Context } from "../../context.ts";
import { LegacyEndpoints } from "../../endpoints/legacy.ts";
import { redactUrl } from "../../endpoints/policy.ts";
import { HeraldError } from "../../errors.ts";
import type { Ingestor, IngestResult } from "../../events/ingest.ts";
import { newId } from "../../ids.ts";
import { name } from "../schemas.ts";

const SEED = { seed: true, operator: true } as const;

/** The seed's statuses, and the delivery statuses each stands for. */
const STATUSES: Record<string, string[]> = {
  pending: ["pending", "in_flight"],
  delivered: ["succeeded"],
  failed: ["failed", "cancelled"],
};
const ALL = Object.values(STATUSES).flat();
const seedStatus = (status: string) =>
  Object.keys(STATUSES).find((s) => STATUSES[s]?.includes(status)) ?? "pending";

interface Row {
  id: string;
  url: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: Date | null;
  created_at: Date;
  last_attempted_at: Date | null;
}

function record(r: Row) {
  const status = seedStatus(r.status);
  return {
    id: r.id,
    target_url: redactUrl(r.url),
    payload: JSON.parse(r.payload),
    status,
    attempted_count: r.attempts,
    next_attempt_at: status === "pending" ? (r.next_attempt_at?.toISOString() ?? null) : null,
    created_at: r.created_at.toISOString(),
    last_attempted_at: r.last_attempted_at?.toISOString() ?? null,
  };
}

export function seedRoutes(app: FastifyInstance, ctx: Context, ingestor: Ingestor): void {
  const endpoints = new LegacyEndpoints(ctx);
  const { sql } = ctx;
  /** Seed events: those delivered to an endpoint made for a target_url. */
  const rows = (statuses: string[], id: string | undefined, limit: number, offset = 0) => sql<
    Row[]
  >`
    select e.id, ep.url, e.payload, d.status, d.attempts, d.next_attempt_at, e.created_at,
           (select a.started_at from attempts a where a.delivery_id = d.id
            order by a.number desc limit 1) as last_attempted_at
    from all_deliveries d
    join endpoints ep on ep.id = d.endpoint_id and ep.legacy_url_key is not null
    join events e on e.seq = d.event_seq
    where d.status = any(${statuses})
      ${id === undefined ? sql`` : sql`and e.id = ${id} and e.tenant is null`}
    order by e.seq desc limit ${limit} offset ${offset}`;

  app.get("/health", async () => ({ status: "ok" }));

  app.post<{ Body: { target_url: string; payload: unknown } }>(
    "/events",
    {
      config: SEED,
      schema: {
        body: {
          type: "object",
          required: ["target_url", "payload"],
          // The seed system ignores fields it does not know; so does this route.
          properties: {
            target_url: { type: "string", minLength: 1, maxLength: 2048, pattern: name.pattern },
            payload: {},
          },
        },
      },
    },
    async (req, reply) => {
      const url = req.body.target_url;
      const payload = JSON.stringify(req.body.payload);
      const send = async () =>
        ingestor.submit({
          id: newId("evt_"),
          tenant: null,
          type: "webhook",
          payload,
          endpointIds: [await endpoints.idFor(url)],
          requireDelivery: true,
          traceContext: req.ingestSpan?.traceparent,
        });
      let result: IngestResult;
      try {
        result = await send();
      } catch (err) {
        // The remembered endpoint was deleted: the URL gets a new one, as on first use.
        if (!(err instanceof HeraldError && err.code === "endpoint_not_found")) throw err;
        endpoints.forget(url);
        result = await send();
      }
      reply.code(202);
      return { id: result.id, status: "pending", message: "Event accepted for delivery" };
    },
  );

  app.get<{ Querystring: { status?: string; page?: string; limit?: string } }>(
    "/events",
    {
      config: SEED,
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            status: { type: "string", enum: Object.keys(STATUSES) },
            page: { type: "string", pattern: "^[1-9][0-9]{0,5}$" },
            limit: { type: "string", pattern: "^[1-9][0-9]{0,2}$" },
          },
        },
      },
    },
    async (req) => {
      const page = Number(req.query.page ?? 1);
      const limit = Math.min(100, Number(req.query.limit ?? 20));
      const statuses = req.query.status ? (STATUSES[req.query.status] as string[]) : ALL;
      const data = await rows(statuses, undefined, limit, (page - 1) * limit);
      const [count] = await sql<{ n: number }[]>`
        select count(*)::int as n from all_deliveries d
        join endpoints ep on ep.id = d.endpoint_id and ep.legacy_url_key is not null
        where d.status = any(${statuses})`;
      return { data: data.map(record), total: count?.n ?? 0, page, limit };
    },
  );

  app.get<{ Params: { id: string } }>(
    "/events/:id",
    {
      config: SEED,
      schema: { params: { type: "object", required: ["id"], properties: { id: name } } },
    },
    async (req, reply) => {
      const [row] = await rows(ALL, req.params.id, 1);
      if (!row) {
        reply.code(404);
        return { error: "Event not found" };
      }
      return record(row);
    },
  );
}
