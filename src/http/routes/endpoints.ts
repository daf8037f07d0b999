import type { FastifyInstance } from "fastify";
import type { Context } from "../../context.ts";
import {
  createEndpoint,
  deleteEndpoint,
  type EndpointInput,
  type EndpointPatch,
  getEndpoint,
  listEndpoints,
  updateEndpoint,
} from "../../endpoints/store.ts";
import { isValidSecret } from "../../signing/standard-webhooks.ts";
import { HeraldError } from "../errors.ts";
import { idParams, name, nullableName, type PageQuery, pageLimit, paging } from "../schemas.ts";

const fields = {
  url: { type: "string", minLength: 1, maxLength: 2048, pattern: name.pattern },
  tenant: nullableName,
  event_types: { type: ["array", "null"], items: name, maxItems: 1000, uniqueItems: true },
  description: { type: ["string", "null"], maxLength: 1000, pattern: name.pattern },
} as const;

export function endpointRoutes(app: FastifyInstance, ctx: Context): void {
  app.post<{ Body: EndpointInput }>(
    "/v1/endpoints",
    {
      schema: {
        body: {
          type: "object",
          required: ["url"],
          additionalProperties: false,
          properties: { ...fields, secret: { type: "string", maxLength: 200 } },
        },
      },
    },
    async (req, reply) => {
      if (req.body.secret !== undefined && !isValidSecret(req.body.secret)) {
        throw new HeraldError(
          "invalid_request",
          "secret must be whsec_ followed by base64 of 24 to 64 bytes",
        );
      }
      reply.code(201);
      return createEndpoint(ctx, req.body);
    },
  );

  app.get<{ Querystring: PageQuery & { tenant?: string } }>(
    "/v1/endpoints",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { ...paging, tenant: name },
        },
      },
    },
    async (req) =>
      listEndpoints(ctx, {
        tenant: req.query.tenant,
        limit: pageLimit(req.query.limit),
        cursor: req.query.cursor,
      }),
  );

  app.get<{ Params: { id: string } }>(
    "/v1/endpoints/:id",
    { schema: { params: idParams } },
    async (req) => getEndpoint(ctx, req.params.id),
  );

  app.patch<{ Params: { id: string }; Body: EndpointPatch }>(
    "/v1/endpoints/:id",
    {
      schema: {
        params: idParams,
        body: {
          type: "object",
          additionalProperties: false,
          minProperties: 1,
          properties: { ...fields, enabled: { type: "boolean" } },
        },
      },
    },
    async (req) => updateEndpoint(ctx, req.params.id, req.body),
  );

  app.delete<{ Params: { id: string } }>(
    "/v1/endpoints/:id",
    { schema: { params: idParams } },
    async (req, reply) => {
      await deleteEndpoint(ctx, req.params.id);
      reply.code(204).send();
    },
  );
}
