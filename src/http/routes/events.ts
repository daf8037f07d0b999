import type { FastifyInstance } from "fastify";
import { ownerTenant, tenantFilter } from "../../auth/access.ts";
import type { Context } from "../../context.ts";
import { deliveryStatuses } from "../../delivery/queries.ts";
import { checkTargets } from "../../endpoints/store.ts";
import { HeraldError } from "../../errors.ts";
import type { Ingestor } from "../../events/ingest.ts";
import { getEvent, listEvents } from "../../events/queries.ts";
import { newId } from "../../ids.ts";
import { idParams, name, nullableName, type PageQuery, pageLimit, paging } from "../schemas.ts";

interface EventBody {
  id?: string;
  type: string;
  tenant?: string | null;
  payload: unknown;
  endpoint_ids?: string[];
}

/** One event, as POST /v1/events takes it (and each item of POST /v1/events/batch). */
export const EVENT_BODY = {
  type: "object",
  required: ["type", "payload"],
  additionalProperties: false,
  properties: {
    id: name,
    type: name,
    tenant: nullableName,
    payload: {},
    endpoint_ids: { type: "array", items: name, minItems: 1, maxItems: 500 },
  },
} as const;

export function eventRoutes(app: FastifyInstance, ctx: Context, ingestor: Ingestor): void {
  app.post<{ Body: EventBody; Headers: { "idempotency-key"?: string } }>(
    "/v1/events",
    {
      schema: {
        headers: { type: "object", properties: { "idempotency-key": name } },
        body: EVENT_BODY,
      },
    },
    async (req, reply) => {
      const { body } = req;
      const key = req.headers["idempotency-key"];
      if (key !== undefined && body.id !== undefined && key !== body.id) {
        throw new HeraldError("invalid_request", "Idempotency-Key and id differ; send one of them");
      }
      const tenant = ownerTenant(req.principal, body.tenant);
      if (body.endpoint_ids) await checkTargets(ctx, body.endpoint_ids, tenant);
      const result = await ingestor.submit({
        id: body.id ?? key ?? newId("evt_"),
        tenant,
        type: body.type,
        payload: JSON.stringify(body.payload),
        endpointIds: body.endpoint_ids,
        traceContext: req.ingestSpan?.traceparent,
      });
      if (result.deduplicated) {
        reply.code(200);
        return result;
      }
      reply.code(202);
      const { deduplicated: _, ...fresh } = result;
      return fresh;
    },
  );

  app.get<{
    Querystring: PageQuery & {
      tenant?: string;
      type?: string;
      status?: string;
      id_prefix?: string;
      payload_path?: string;
      payload_value?: string;
    };
  }>(
    "/v1/events",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            ...paging,
            tenant: name,
            type: name,
            // Events with at least one delivery in this status.
            status: { type: "string", enum: deliveryStatuses },
            id_prefix: name,
            // A payload field as a dot path (customer.id) and the value it holds.
            payload_path: { ...name, maxLength: 500 },
            payload_value: { ...name, maxLength: 1000 },
          },
        },
      },
    },
    async (req) =>
      listEvents(ctx, {
        tenant: tenantFilter(req.principal, req.query.tenant),
        type: req.query.type,
        status: req.query.status,
        idPrefix: req.query.id_prefix,
        payloadPath: req.query.payload_path,
        payloadValue: req.query.payload_value,
        limit: pageLimit(req.query.limit),
        cursor: req.query.cursor,
      }),
  );

  app.get<{ Params: { id: string }; Querystring: { tenant?: string } }>(
    "/v1/events/:id",
    {
      schema: {
        params: idParams,
        querystring: { type: "object", additionalProperties: false, properties: { tenant: name } },
      },
    },
    async (req) => getEvent(ctx, req.params.id, tenantFilter(req.principal, req.query.tenant)),
  );
}
