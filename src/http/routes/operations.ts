// Operator routes: retry, replay and recover (re-queueing by hand), the test ping and an
// endpoint's health statistics. The ping's HTTP client is this API's own Sender: pings in
// progress are aborted when the server starts closing, and its connections are closed with it.
import type { FastifyInstance } from "fastify";
import { tenantFilter } from "../../auth/access.ts";
import type { Context } from "../../context.ts";
import { recoverEndpoint, replayEvent, retryDelivery } from "../../delivery/requeue.ts";
import { Sender } from "../../delivery/sender.ts";
import { pingEndpoint } from "../../endpoints/ping.ts";
import { endpointStats } from "../../endpoints/stats.ts";
import { HeraldError } from "../../errors.ts";
import { idParams, name } from "../schemas.ts";

const time = { type: "string", format: "date-time", maxLength: 64 } as const;

export function operationRoutes(app: FastifyInstance, ctx: Context): void {
  const sender = new Sender(ctx.config, ctx.now);
  app.addHook("preClose", async () => sender.abortAll());
  app.addHook("onClose", async () => sender.close());

  app.post<{ Params: { id: string } }>(
    "/v1/deliveries/:id/retry",
    { schema: { params: idParams } },
    async (req) => retryDelivery(ctx, req.params.id, req.caller),
  );

  app.post<{
    Params: { id: string };
    Querystring: { tenant?: string };
    Body: { endpoint_ids?: string[] } | undefined;
  }>(
    "/v1/events/:id/replay",
    {
      schema: {
        params: idParams,
        querystring: { type: "object", additionalProperties: false, properties: { tenant: name } },
        body: {
          type: ["object", "null"],
          additionalProperties: false,
          properties: {
            endpoint_ids: {
              type: "array",
              items: name,
              minItems: 1,
              maxItems: 500,
              uniqueItems: true,
            },
          },
        },
      },
    },
    async (req) =>
      replayEvent(
        ctx,
        {
          id: req.params.id,
          tenant: tenantFilter(req.principal, req.query.tenant),
          endpointIds: req.body?.endpoint_ids,
        },
        req.caller,
      ),
  );

  app.post<{ Params: { id: string }; Body: { since: string; until?: string } }>(
    "/v1/endpoints/:id/recover",
    {
      schema: {
        params: idParams,
        body: {
          type: "object",
          required: ["since"],
          additionalProperties: false,
          properties: { since: time, until: time },
        },
      },
    },
    async (req) => {
      const since = parseTime("since", req.body.since);
      const until = req.body.until === undefined ? undefined : parseTime("until", req.body.until);
      return recoverEndpoint(ctx, { endpointId: req.params.id, since, until }, req.caller);
    },
  );

  app.post<{ Params: { id: string } }>(
    "/v1/endpoints/:id/test",
    { schema: { params: idParams } },
    async (req) => pingEndpoint(ctx, sender, req.params.id, req.caller),
  );

  app.get<{ Params: { id: string } }>(
    "/v1/endpoints/:id/stats",
    { schema: { params: idParams } },
    async (req) => endpointStats(ctx, req.params.id, new Date(ctx.now()), req.caller.tenant),
  );
}

/** RFC 3339 (checked by the schema) to a Date; out-of-range values are bad input too. */
function parseTime(field: string, value: string): Date {
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new HeraldError("invalid_request", `${field} is not an RFC 3339 time`);
  return new Date(ms);
}
