// The event-type catalogue: every key reads it, admin keys write it.
import type { FastifyInstance } from "fastify";
import type { Context } from "../../context.ts";
import {
  createEventType,
  deleteEventType,
  type EventTypeInput,
  type EventTypePatch,
  getEventType,
  listEventTypes,
  updateEventType,
} from "../../event-types/store.ts";
import { name, type PageQuery, pageLimit, paging } from "../schemas.ts";

/** An event type's name: no `*`, which subscriptions use as a wildcard (`payment.*`). */
const typeName = { ...name, pattern: "^[^\\u0000*]*$" } as const;
const nameParams = {
  type: "object",
  required: ["name"],
  properties: { name: typeName },
} as const;
const fields = {
  description: { type: "string", maxLength: 2000, pattern: name.pattern },
  example: {},
} as const;
const operator = { operator: true } as const;

export function eventTypeRoutes(app: FastifyInstance, ctx: Context): void {
  app.post<{ Body: EventTypeInput }>(
    "/v1/event-types",
    {
      config: operator,
      schema: {
        body: {
          type: "object",
          required: ["name"],
          additionalProperties: false,
          properties: { name: typeName, ...fields },
        },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return createEventType(ctx, req.caller, req.body);
    },
  );

  app.get<{ Querystring: PageQuery & { prefix?: string } }>(
    "/v1/event-types",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { ...paging, prefix: name },
        },
      },
    },
    async (req) =>
      listEventTypes(ctx, {
        limit: pageLimit(req.query.limit),
        cursor: req.query.cursor,
        prefix: req.query.prefix,
      }),
  );

  app.get<{ Params: { name: string } }>(
    "/v1/event-types/:name",
    { schema: { params: nameParams } },
    async (req) => getEventType(ctx, req.params.name),
  );

  app.patch<{ Params: { name: string }; Body: EventTypePatch }>(
    "/v1/event-types/:name",
    {
      config: operator,
      schema: {
        params: nameParams,
        body: { type: "object", additionalProperties: false, minProperties: 1, properties: fields },
      },
    },
    async (req) => updateEventType(ctx, req.caller, req.params.name, req.body),
  );

  app.delete<{ Params: { name: string } }>(
    "/v1/event-types/:name",
    { config: operator, schema: { params: nameParams } },
    async (req, reply) => {
      await deleteEventType(ctx, req.caller, req.params.name);
      reply.code(204).send();
    },
  );
}
