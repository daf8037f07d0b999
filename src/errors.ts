// The one registry of Herald's errors: a stable code, its HTTP status and a default message.
// Below every layer: domain modules throw HeraldError, and http/errors.ts maps it (and
// everything else) to { "error": { "code", "message", "details"? } }. This file imports
// nothing. docs/api.md lists every code (tested).

export const errorCodes = {
  invalid_request: [400, "The request is invalid."],
  invalid_json: [400, "The body is not valid JSON."],
  payload_too_deep: [400, "The body nests arrays and objects too deep."],
  unrepresentable_number: [400, "The body has a number that cannot be stored exactly."],
  unauthorized: [401, "Missing or invalid API key."],
  portal_link_invalid: [
    401,
    "This portal link is invalid, expired or already used; ask for a new one.",
  ],
  invalid_signature: [401, "The webhook signature is missing or does not verify."],
  forbidden: [403, "This API key may not do this."],
  not_found: [404, "No such route."],
  endpoint_not_found: [404, "No endpoint with this id."],
  event_not_found: [404, "No event with this id."],
  delivery_not_found: [404, "No delivery with this id."],
  source_not_found: [404, "No source with this id."],
  api_key_not_found: [404, "No API key with this id."],
  event_type_not_found: [404, "No event type with this name."],
  event_type_exists: [409, "An event type with this name exists."],
  event_conflict: [409, "An event with this id exists with a different payload."],
  ambiguous_event_id: [409, "Several tenants have an event with this id; pass ?tenant=."],
  delivery_not_terminal: [409, "Only succeeded, failed or cancelled deliveries can be retried."],
  endpoint_deleted: [409, "The endpoint is deleted."],
  request_timeout: [408, "The request was not received in time."],
  payload_too_large: [413, "The body is larger than the limit."],
  batch_too_large: [413, "The batch has more events than the limit."],
  headers_too_large: [431, "The request's headers are too large."],
  unsupported_media_type: [415, "The body must be application/json."],
  too_many_failed_logins: [429, "Too many failed authentications from this address; retry later."],
  storage_unavailable: [503, "The database is unavailable; retry later."],
  internal_error: [500, "Internal error."],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof errorCodes;

export class HeraldError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? errorCodes[code][1]);
    this.statusCode = errorCodes[code][0];
  }
}

/** The kinds of thing an API id names; each has its `<kind>_not_found` code. */
export type Resource = "endpoint" | "event" | "delivery" | "source";

/** "No <kind> with id <id>." as the 404 of that kind. */
export function notFound(kind: Resource, id: string): HeraldError {
  return new HeraldError(`${kind}_not_found`, `No ${kind} with id ${id}.`);
}
