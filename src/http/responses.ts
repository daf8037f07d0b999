// What each route answers on success, as JSON Schema: named shapes (components of the OpenAPI
// document, so the generated SDK types have names) and, per route, its status codes. Attached
// to the routes as they are declared (an onRoute hook), so the document describes every
// answer. They do not serialize: answers are JSON.stringify'd as before (a response schema
// would silently drop a field it does not name). Instead, with HERALD_CHECK_RESPONSES=1 (the
// test suite sets it) every answer is checked against its schema and a mismatch is a 500
// naming the route: the whole suite checks the document against what the routes send.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { signatureSchemes } from "../endpoints/policy.ts";

type Schema = Record<string, unknown>;

const time = { type: "string", format: "date-time" } as const;
const nullable = (s: Schema): Schema => ({
  ...s,
  type: [s.type as string, "null"],
});
const str = { type: "string" } as const;
const int = { type: "integer" } as const;
const bool = { type: "boolean" } as const;
/** An object that names all its fields (the answers have no optional ones but where noted). */
const obj = (properties: Record<string, unknown>, optional: string[] = []): Schema => ({
  type: "object",
  additionalProperties: false,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
});
const ref = (id: string) => ({ $ref: `${id}#` });
const page = (item: string): Schema =>
  obj({ data: { type: "array", items: ref(item) }, next_cursor: nullable(str) });

const ENDPOINT_FIELDS = {
  id: str,
  url: str,
  tenant: nullable(str),
  description: nullable(str),
  event_types: nullable({ type: "array", items: str }),
  enabled: bool,
  disabled_reason: nullable(str),
  disabled_at: nullable(time),
  max_in_flight: int,
  rate_limit_per_second: nullable(int),
  signature_scheme: { type: "string", enum: signatureSchemes },
  headers: { type: "object", additionalProperties: str },
  circuit: obj({
    state: { type: "string", enum: ["closed", "open", "half_open"] },
    consecutive_failures: int,
    next_probe_at: nullable(time),
  }),
  previous_secret_expires_at: nullable(time),
  created_at: time,
  updated_at: time,
};

const DELIVERY_FIELDS = {
  id: str,
  event_id: str,
  endpoint_id: str,
  status: { type: "string", enum: ["pending", "in_flight", "succeeded", "failed", "cancelled"] },
  attempt_count: int,
  next_attempt_at: nullable(time),
  last_status_code: nullable(int),
  last_error: nullable(str),
  created_at: time,
  updated_at: time,
};

const EVENT_FIELDS = {
  id: str,
  tenant: nullable(str),
  type: str,
  source: nullable(str),
  content_type: nullable(str),
  payload: {},
  conflicts: int,
  created_at: time,
};

const API_KEY_FIELDS = {
  id: str,
  name: str,
  scope: { type: "string", enum: ["admin", "admin:read", "tenant", "tenant:read"] },
  tenant: nullable(str),
  origin: { type: "string", enum: ["config", "generated", "api"] },
  created_at: time,
  expires_at: nullable(time),
  revoked_at: nullable(time),
  last_used_at: nullable(time),
};

const SOURCE_FIELDS = {
  id: str,
  name: str,
  provider: { type: "string", enum: ["stripe", "github", "standard-webhooks", "hmac", "none"] },
  tenant: nullable(str),
  endpoint_ids: nullable({ type: "array", items: str }),
  options: { type: "object" },
  ingest_url: str,
  rejected: int,
  conflicts: int,
  previous_secret_expires_at: nullable(time),
  created_at: time,
  updated_at: time,
};

const WINDOW = obj({
  attempts: int,
  succeeded: int,
  success_rate: nullable({ type: "number" }),
  p50_duration_ms: nullable({ type: "number" }),
  p95_duration_ms: nullable({ type: "number" }),
  last_success_at: nullable(time),
  last_failure_at: nullable(time),
});

const ERROR_BODY = obj({ code: str, message: str, details: {} }, ["details"]);

const INGESTED = { id: str, tenant: nullable(str), type: str, deliveries: int };

/** Shapes with names: components of the document. */
export const SHAPES: Record<string, Schema> = {
  Endpoint: obj(ENDPOINT_FIELDS),
  CreatedEndpoint: obj({ ...ENDPOINT_FIELDS, secret: str }),
  Event: obj(EVENT_FIELDS),
  EventListItem: obj({
    ...EVENT_FIELDS,
    status: {
      type: "string",
      enum: ["none", "pending", "in_flight", "succeeded", "failed", "cancelled"],
    },
    delivery_count: int,
  }),
  Delivery: obj(DELIVERY_FIELDS),
  DeliveryListItem: obj({
    ...DELIVERY_FIELDS,
    waiting: nullable(
      obj({
        reason: {
          type: "string",
          enum: [
            "due",
            "scheduled",
            "retry_scheduled",
            "circuit_open",
            "circuit_half_open",
            "endpoint_disabled",
            "in_flight",
          ],
        },
        until: nullable(time),
      }),
    ),
  }),
  Attempt: obj({
    number: int,
    started_at: time,
    duration_ms: int,
    status_code: nullable(int),
    error_kind: nullable(str),
    error_message: nullable(str),
    response_body: nullable(str),
  }),
  EventDetail: obj({
    ...EVENT_FIELDS,
    deliveries: {
      type: "array",
      items: obj(
        Object.fromEntries(Object.entries(DELIVERY_FIELDS).filter(([k]) => k !== "event_id")),
      ),
    },
  }),
  DeliveryDetail: obj({ ...DELIVERY_FIELDS, attempts: { type: "array", items: ref("Attempt") } }),
  ApiKey: obj(API_KEY_FIELDS),
  CreatedApiKey: obj({ ...API_KEY_FIELDS, key: str }),
  Source: obj(SOURCE_FIELDS),
  CreatedSource: obj({ ...SOURCE_FIELDS, secret: nullable(str) }),
  EventType: obj({
    name: str,
    description: str,
    example: {},
    created_at: time,
    updated_at: time,
  }),
  AuditEntry: obj({
    id: str,
    at: time,
    actor: str,
    action: str,
    subject: str,
    tenant: nullable(str),
    details: {},
  }),
  IngestResult: obj(INGESTED),
  BatchItem: {
    oneOf: [
      obj({ status: { type: "string", enum: ["accepted", "deduplicated"] }, ...INGESTED }),
      obj({ status: { const: "conflict" }, id: str, tenant: nullable(str), error: ERROR_BODY }),
      obj({ status: { const: "invalid" }, error: ERROR_BODY }),
    ],
  },
  EndpointStats: obj({ endpoint_id: str, as_of: time, last_hour: WINDOW, last_day: WINDOW }),
  PingResult: obj({
    event_id: str,
    status: str,
    status_code: nullable(int),
    duration_ms: int,
    error: nullable(str),
  }),
  SeedEvent: obj({
    id: str,
    target_url: nullable(str),
    payload: {},
    status: { type: "string", enum: ["pending", "delivered", "failed"] },
    attempted_count: int,
    next_attempt_at: nullable(time),
    created_at: time,
    last_attempted_at: nullable(time),
  }),
};

const counts = (fields: string[]): Schema =>
  obj({
    ...Object.fromEntries(fields.map((f) => [f, int])),
    estimated: bool,
  });

const OVERVIEW = obj({
  as_of: time,
  events: counts(["accepted", "last_15m"]),
  deliveries: counts(["pending", "retrying", "in_flight", "succeeded", "failed", "cancelled"]),
  queue: obj({
    depth: int,
    oldest_pending_age_seconds: nullable({ type: "number" }),
    estimated: bool,
  }),
  series: obj({
    bucket_seconds: int,
    window_seconds: int,
    points: { type: "array", items: obj({ at: time, succeeded: int, failed: int }) },
    succeeded: int,
    failed: int,
  }),
});

const json = (schema: Schema, description: string) => ({ description, ...schema });
const none = { description: "No content", type: "null" };
const status = obj({ status: str });

/** Each route's success answers, by "METHOD path" and status code. */
export const RESPONSES: Record<string, Record<number, Schema>> = {
  "GET /health/live": { 200: json(status, "The process is up") },
  "GET /health/ready": {
    200: json(obj({ status: str, schema: int }), "Ready: the database answers, migrated"),
    503: json(obj({ status: { const: "unavailable" }, reason: str }), "Not ready, and why"),
  },
  "GET /health": { 200: json(status, "Seed 000's health check") },

  "POST /v1/endpoints": { 201: json(ref("CreatedEndpoint"), "The endpoint, with its secret") },
  "GET /v1/endpoints": { 200: json(page("Endpoint"), "A page of endpoints") },
  "GET /v1/endpoints/:id": { 200: json(ref("Endpoint"), "The endpoint") },
  "PATCH /v1/endpoints/:id": { 200: json(ref("Endpoint"), "The endpoint as changed") },
  "DELETE /v1/endpoints/:id": { 204: none },
  "POST /v1/endpoints/:id/disable": { 200: json(ref("Endpoint"), "The endpoint, disabled") },
  "POST /v1/endpoints/:id/enable": { 200: json(ref("Endpoint"), "The endpoint, enabled") },
  "POST /v1/endpoints/:id/rotate-secret": {
    200: json(
      obj({ id: str, secret: str, previous_secret_expires_at: nullable(time) }),
      "The new secret (shown only here)",
    ),
  },
  "GET /v1/endpoints/:id/stats": { 200: json(ref("EndpointStats"), "Success rate and latency") },
  "POST /v1/endpoints/:id/test": { 200: json(ref("PingResult"), "The test event's attempt") },
  "POST /v1/endpoints/:id/recover": {
    200: json(obj({ endpoint_id: str, recovered: int }), "Deliveries re-queued"),
  },

  "POST /v1/events": {
    202: json(ref("IngestResult"), "Accepted (committed)"),
    200: json(
      obj({ ...INGESTED, deduplicated: { const: true } }),
      "The same event again: the stored one",
    ),
  },
  "POST /v1/events/batch": {
    200: json(obj({ data: { type: "array", items: ref("BatchItem") } }), "Each item's result"),
  },
  "GET /v1/events": { 200: json(page("EventListItem"), "A page of events") },
  "GET /v1/events/:id": { 200: json(ref("EventDetail"), "The event and its deliveries") },
  "POST /v1/events/:id/replay": {
    200: json(obj({ event_id: str, deliveries: int }), "Deliveries re-queued"),
  },

  "GET /v1/deliveries": { 200: json(page("DeliveryListItem"), "A page of deliveries") },
  "GET /v1/deliveries/:id": { 200: json(ref("DeliveryDetail"), "The delivery and its attempts") },
  "POST /v1/deliveries/:id/retry": { 200: json(ref("DeliveryDetail"), "The delivery, re-queued") },

  "GET /v1/event-types": { 200: json(page("EventType"), "The catalogue") },
  "POST /v1/event-types": { 201: json(ref("EventType"), "The event type") },
  "GET /v1/event-types/:name": { 200: json(ref("EventType"), "The event type") },
  "PATCH /v1/event-types/:name": { 200: json(ref("EventType"), "The event type as changed") },
  "DELETE /v1/event-types/:name": { 204: none },

  "POST /v1/api-keys": { 201: json(ref("CreatedApiKey"), "The key (shown only here)") },
  "GET /v1/api-keys": { 200: json(page("ApiKey"), "A page of keys, never a secret") },
  "GET /v1/api-keys/:id": { 200: json(ref("ApiKey"), "The key's record") },
  "DELETE /v1/api-keys/:id": { 204: none },

  "POST /v1/sources": { 201: json(ref("CreatedSource"), "The source, with its secret") },
  "GET /v1/sources": { 200: json(page("Source"), "A page of sources") },
  "GET /v1/sources/:id": { 200: json(ref("Source"), "The source") },
  "PATCH /v1/sources/:id": { 200: json(ref("Source"), "The source as changed") },
  "POST /v1/sources/:id/rotate-secret": {
    200: json(ref("CreatedSource"), "The source, with its new secret (shown only here)"),
  },
  "DELETE /v1/sources/:id": { 204: none },
  "POST /in/:source_id": {
    202: json(obj({ id: str, type: str, deduplicated: { const: false } }), "Accepted"),
    200: json(obj({ id: str, type: str, deduplicated: { const: true } }), "A redelivery"),
  },

  "GET /v1/audit": { 200: json(page("AuditEntry"), "A page of audit entries") },
  "GET /v1/stats/overview": { 200: json(OVERVIEW, "Counts and the last 15 minutes") },
  "POST /v1/stream-tokens": {
    201: json(obj({ token: str, expires_at: time }), "A token for GET /v1/stream"),
  },
  "POST /v1/portal-sessions": {
    201: json(
      obj({
        id: str,
        tenant: str,
        read_only: bool,
        url: str,
        link_expires_at: time,
        expires_at: time,
      }),
      "The portal link (single use)",
    ),
  },
  "POST /portal/session": {
    200: json(obj({ expires_at: time }), "The session cookie is set (herald_portal)"),
  },
  "POST /portal/logout": { 204: none },
  "GET /metrics": {
    200: {
      description: "Prometheus metrics, text exposition format (docs/operations.md#monitoring)",
      content: { "text/plain": { schema: { type: "string" } } },
    },
  },
  "GET /v1/stream": {
    200: {
      description: "Server-sent events: the live feed (docs/api.md#live-stream)",
      content: { "text/event-stream": { schema: { type: "string" } } },
    },
  },
  "GET /v1/me": {
    200: json(
      obj({
        id: str,
        scope: API_KEY_FIELDS.scope,
        tenant: nullable(str),
        portal: nullable(obj({ name: str, accent: str, expires_at: time })),
      }),
      "Who the caller is",
    ),
  },

  "POST /events": {
    202: json(obj({ id: str, status: { const: "pending" }, message: str }), "Accepted"),
  },
  "GET /events": {
    200: json(
      obj({
        data: { type: "array", items: ref("SeedEvent") },
        total: int,
        page: int,
        limit: int,
      }),
      "A page of events, seed 000's way",
    ),
  },
  "GET /events/:id": {
    200: json(ref("SeedEvent"), "The event, seed 000's way"),
    404: json(obj({ error: str }), "Seed 000's not-found"),
  },
};

/** Routes whose answers are not checked: a stream, the dashboard's files, the document. */
export const NOT_JSON = new Set([
  "GET /v1/stream",
  "GET /*",
  "GET /v1/openapi.json",
  "GET /metrics",
]);

/**
 * Registers the named shapes and attaches each route's answers as it is declared. Before any
 * route and before the OpenAPI plugin reads them.
 */
export function describeResponses(app: FastifyInstance, check: boolean): void {
  for (const [id, schema] of Object.entries(SHAPES)) app.addSchema({ $id: id, ...schema });
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) {
      if (method === "HEAD") continue;
      const answers = RESPONSES[`${method} ${route.url}`];
      if (!answers) continue;
      route.schema = {
        ...route.schema,
        response: { ...(route.schema?.response as object), ...answers },
      };
    }
  });
  // Serialization stays JSON.stringify, schema or not.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  if (!check) return;
  app.addHook("onSend", async (req, reply, payload) => {
    const key = `${req.method} ${req.routeOptions.url}`;
    const schema = (req.routeOptions.schema?.response as Record<number, Schema> | undefined)?.[
      reply.statusCode
    ];
    if (reply.statusCode >= 400 && !schema) return payload;
    if (req.method === "HEAD" || NOT_JSON.has(key) || req.routeOptions.url === undefined) {
      return payload;
    }
    if (!schema) throw mismatch(req, key, reply.statusCode, "no response schema for this status");
    const body = typeof payload === "string" && payload !== "" ? JSON.parse(payload) : null;
    const validate = req.compileValidationSchema(schema);
    if (!validate(body)) {
      throw mismatch(req, key, reply.statusCode, JSON.stringify(validate.errors));
    }
    return payload;
  });
}

function mismatch(req: FastifyRequest, key: string, status: number, why: string): Error {
  const message = `HERALD_CHECK_RESPONSES: ${key} answered ${status} off its schema: ${why}`;
  // Loud: the test that made the request sees a 500; the run's output says why.
  process.stderr.write(`${message}\n`);
  req.log.error(message);
  return new Error(message);
}
