// The key API (admin keys only): make a key (shown once), list them (never the key), revoke one.
import type { FastifyInstance } from "fastify";
import { scopes } from "../../auth/access.ts";
import { createKey, getKey, type KeyInput, listKeys, revokeKey } from "../../auth/api-keys.ts";
import type { KeyVerifier } from "../../auth/verifier.ts";
import type { Context } from "../../context.ts";
import { idParams, name, nullableName, type PageQuery, pageLimit, paging } from "../schemas.ts";

const operator = { operator: true } as const;

export function apiKeyRoutes(app: FastifyInstance, ctx: Context, keys: KeyVerifier): void {
  app.post<{ Body: KeyInput }>(
    "/v1/api-keys",
    {
      config: operator,
      schema: {
        body: {
          type: "object",
          required: ["name", "scope"],
          additionalProperties: false,
          properties: {
            name,
            scope: { type: "string", enum: scopes },
            tenant: nullableName,
            expires_at: { type: ["string", "null"], format: "date-time", maxLength: 64 },
          },
        },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return createKey(ctx, req.caller.actor, req.body);
    },
  );

  app.get<{ Querystring: PageQuery }>(
    "/v1/api-keys",
    {
      config: operator,
      schema: { querystring: { type: "object", additionalProperties: false, properties: paging } },
    },
    async (req) => listKeys(ctx, { limit: pageLimit(req.query.limit), cursor: req.query.cursor }),
  );

  app.get<{ Params: { id: string } }>(
    "/v1/api-keys/:id",
    { config: operator, schema: { params: idParams } },
    async (req) => getKey(ctx, req.params.id),
  );

  app.delete<{ Params: { id: string } }>(
    "/v1/api-keys/:id",
    { config: operator, schema: { params: idParams } },
    async (req, reply) => {
      await revokeKey(ctx, req.caller.actor, req.params.id);
      keys.forget(req.params.id);
      reply.code(204).send();
    },
  );
}
