import type { FastifyInstance } from "fastify";
import { ownerTenant, tenantFilter } from "../../auth/access.ts";
import type { Context } from "../../context.ts";
import { setEnabled } from "../../endpoints/enable.ts";
import { checkSecret, MAX_HEADERS, signatureSchemes } from "../../endpoints/policy.ts";
import { rotateSecret } from "../../endpoints/rotation.ts";
import {
  createEndpoint,
  deleteEndpoint,
  type EndpointInput,
  type EndpointPatch,
  type EndpointQuery,
  endpointHealth,
  endpointSorts,
  getEndpoint,
  listEndpoints,
  updateEndpoint,
} from "../../endpoints/store.ts";
import {
  idParams,
  name,
  nullableName,
  optionalBody,
  type PageQuery,
  pageLimit,
  paging,
} from "../schemas.ts";

const fields = {
  url: { type: "string", minLength: 1, maxLength: 2048, pattern: name.pattern },
  tenant: nullableName,
  // A type, or a prefix ending in `.*` (a wildcard: `payment.*`); `*` nowhere else.
  event_types: {
    type: ["array", "null"],
    items: { ...name, pattern: "^(?:[^\\u0000*]+|[^\\u0000*]+\\.\\*)$" },
    maxItems: 1000,
    uniqueItems: true,
  },
  description: { type: ["string", "null"], maxLength: 1000, pattern: name.pattern },
  max_in_flight: { type: "integer", minimum: 1, maximum: 1000 },
  rate_limit_per_second: { type: ["integer", "null"], minimum: 1, maximum: 100_000 },
  signature_scheme: { type: "string", enum: signatureSchemes },
  // Names are HTTP tokens (RFC 9110); values printable ASCII, space or tab (no CR/LF, no
  // control characters: undici refuses them, and every attempt would fail).
  headers: {
    type: ["object", "null"],
    maxProperties: MAX_HEADERS,
    propertyNames: { maxLength: 256, pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
    additionalProperties: { type: "string", maxLength: 4096, pattern: "^[\\t\\x20-\\x7e]*$" },
  },
} as const;

const secretField = { type: "string", maxLength: 200 } as const;

export function endpointRoutes(app: FastifyInstance, ctx: Context): void {
  app.post<{ Body: EndpointInput }>(
    "/v1/endpoints",
    {
      schema: {
        body: {
          type: "object",
          required: ["url"],
          additionalProperties: false,
          properties: { ...fields, secret: secretField },
        },
      },
    },
    async (req, reply) => {
      if (req.body.secret !== undefined) {
        checkSecret(req.body.secret, req.body.signature_scheme ?? "standard-webhooks");
      }
      const tenant = ownerTenant(req.principal, req.body.tenant);
      const created = await createEndpoint(ctx, req.caller, { ...req.body, tenant });
      reply.code(201);
      return created;
    },
  );

  app.get<{ Querystring: PageQuery & Omit<EndpointQuery, "limit" | "cursor"> }>(
    "/v1/endpoints",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            ...paging,
            tenant: name,
            search: name,
            health: { type: "string", enum: endpointHealth },
            sort: { type: "string", enum: endpointSorts },
          },
        },
      },
    },
    async (req) =>
      listEndpoints(ctx, {
        ...req.query,
        tenant: tenantFilter(req.principal, req.query.tenant),
        limit: pageLimit(req.query.limit),
      }),
  );

  app.get<{ Params: { id: string } }>(
    "/v1/endpoints/:id",
    { schema: { params: idParams } },
    async (req) => getEndpoint(ctx, req.params.id, req.caller.tenant),
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
    async (req) => {
      if (req.body.tenant !== undefined) ownerTenant(req.principal, req.body.tenant);
      return updateEndpoint(ctx, req.caller, req.params.id, req.body);
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/v1/endpoints/:id",
    { schema: { params: idParams } },
    async (req, reply) => {
      await deleteEndpoint(ctx, req.caller, req.params.id);
      reply.code(204).send();
    },
  );

  app.post<{ Params: { id: string }; Body: Record<string, never> | null | undefined }>(
    "/v1/endpoints/:id/enable",
    { schema: { params: idParams, body: optionalBody({}) } },
    async (req) => setEnabled(ctx, req.caller, req.params.id, true),
  );

  app.post<{ Params: { id: string }; Body: { reason?: string } | null | undefined }>(
    "/v1/endpoints/:id/disable",
    {
      schema: {
        params: idParams,
        body: optionalBody({ reason: { ...name, maxLength: 500 } }),
      },
    },
    async (req) => setEnabled(ctx, req.caller, req.params.id, false, req.body?.reason),
  );

  app.post<{ Params: { id: string }; Body: { secret?: string } | null | undefined }>(
    "/v1/endpoints/:id/rotate-secret",
    { schema: { params: idParams, body: optionalBody({ secret: secretField }) } },
    async (req) => rotateSecret(ctx, req.caller, req.params.id, req.body?.secret),
  );
}
