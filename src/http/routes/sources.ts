// Sources (inbound webhooks): CRUD under /v1/sources with the API key, and POST /in/:source_id
// where the provider's signature is the authentication.
import type { FastifyInstance } from "fastify";
import { ownerTenant, tenantFilter } from "../../auth/access.ts";
import type { Context } from "../../context.ts";
import type { Ingestor } from "../../events/ingest.ts";
import { receive } from "../../sources/receive.ts";
import {
  createSource,
  deleteSource,
  getSource,
  listSources,
  rotateSourceSecret,
  type SourceInput,
  type SourcePatch,
  updateSource,
} from "../../sources/store.ts";
import { providers } from "../../sources/verify.ts";
import {
  idParams,
  name,
  nullableName,
  optionalBody,
  type PageQuery,
  pageLimit,
  paging,
} from "../schemas.ts";

/** An HTTP header name (RFC 9110 token). */
const headerName = {
  type: "string",
  minLength: 1,
  maxLength: 100,
  pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
} as const;

const settable = {
  name,
  secret: { ...name, minLength: 8 },
  tenant: nullableName,
  endpoint_ids: { type: ["array", "null"], items: name, minItems: 1, maxItems: 100 },
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      header: headerName,
      digest: { type: "string", enum: ["sha1", "sha256", "sha512"] },
      encoding: { type: "string", enum: ["hex", "base64"] },
      prefix: { type: "string", minLength: 1, maxLength: 50, pattern: name.pattern },
      id_header: headerName,
      event_type: name,
      id_field: { ...name, maxLength: 100 },
      type_field: { ...name, maxLength: 100 },
    },
  },
} as const;

export function sourceRoutes(app: FastifyInstance, ctx: Context): void {
  app.post<{ Body: SourceInput }>(
    "/v1/sources",
    {
      schema: {
        body: {
          type: "object",
          required: ["name", "provider"],
          additionalProperties: false,
          properties: { ...settable, provider: { type: "string", enum: providers } },
        },
      },
    },
    async (req, reply) => {
      reply.code(201);
      const tenant = ownerTenant(req.principal, req.body.tenant);
      return createSource(ctx, req.caller, { ...req.body, tenant });
    },
  );

  app.get<{ Querystring: PageQuery & { tenant?: string } }>(
    "/v1/sources",
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
      listSources(ctx, {
        tenant: tenantFilter(req.principal, req.query.tenant),
        limit: pageLimit(req.query.limit),
        cursor: req.query.cursor,
      }),
  );

  app.get<{ Params: { id: string } }>(
    "/v1/sources/:id",
    { schema: { params: idParams } },
    async (req) => getSource(ctx, req.params.id, req.caller.tenant),
  );

  app.patch<{ Params: { id: string }; Body: SourcePatch }>(
    "/v1/sources/:id",
    {
      schema: {
        params: idParams,
        body: {
          type: "object",
          additionalProperties: false,
          minProperties: 1,
          properties: settable,
        },
      },
    },
    async (req) => {
      if (req.body.tenant !== undefined) ownerTenant(req.principal, req.body.tenant);
      return updateSource(ctx, req.caller, req.params.id, req.body);
    },
  );

  app.post<{ Params: { id: string }; Body: { secret?: string } | undefined }>(
    "/v1/sources/:id/rotate-secret",
    {
      schema: {
        params: idParams,
        body: optionalBody({ secret: settable.secret }),
      },
    },
    async (req) => rotateSourceSecret(ctx, req.caller, req.params.id, req.body?.secret),
  );

  app.delete<{ Params: { id: string } }>(
    "/v1/sources/:id",
    { schema: { params: idParams } },
    async (req, reply) => {
      await deleteSource(ctx, req.caller, req.params.id);
      reply.code(204);
    },
  );
}

/**
 * POST /in/:source_id in its own encapsulated plugin: only here is any content type accepted,
 * as raw bytes (signatures are over the exact bytes, so nothing may parse them first).
 * 202 once stored; 200 for a redelivery of the same body; 409 for the same id with another.
 */
export function inboundRoutes(app: FastifyInstance, ctx: Context, ingestor: Ingestor): void {
  void app.register(async (inbound) => {
    inbound.removeAllContentTypeParsers();
    inbound.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: ctx.config.maxPayloadBytes },
      (_req, body, done) => done(null, body),
    );
    inbound.post<{ Params: { source_id: string } }>(
      "/in/:source_id",
      {
        schema: {
          params: {
            type: "object",
            required: ["source_id"],
            properties: { source_id: name },
          },
        },
      },
      async (req, reply) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const result = await receive(
          ctx,
          ingestor,
          req.params.source_id,
          req.headers,
          body,
          req.ingestSpan?.traceparent,
        );
        reply.code(result.deduplicated ? 200 : 202);
        return { id: result.id, type: result.type, deduplicated: result.deduplicated };
      },
    );
  });
}
