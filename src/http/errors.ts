// Errors to responses: every failure a request meets — a HeraldError from any layer, a schema
// violation, a body Fastify could not parse, an unreachable database, a path the router could
// not decode — leaves as { "error": { "code", "message", "details"? } } with its status.
// The registry itself is src/errors.ts.
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { isUnavailable } from "../db/connect.ts";
import { type ErrorCode, HeraldError } from "../errors.ts";

export function errorBody(code: ErrorCode, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * Fastify's `frameworkErrors`: a path the router cannot decode (bad percent-encoding such as
 * "%c3%28") never reaches the error handler; answer it in the API's own format.
 */
export function frameworkErrors(err: FastifyError, _req: unknown, reply: FastifyReply) {
  if (err.code === "FST_ERR_BAD_URL") {
    return reply
      .code(400)
      .send(errorBody("invalid_request", "The URL is not valid (bad percent-encoding)."));
  }
  return reply.code(400).send(errorBody("invalid_request", err.message));
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP server reports before a request reaches
 * Fastify — a client too slow with its request (HERALD_REQUEST_TIMEOUT_MS, _HEADERS_), headers
 * over the size limit, bytes that are not HTTP. Answered in the API's format, then the
 * connection is closed.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === "ECONNRESET" || socket.destroyed) return;
  const [status, body] =
    err.code === "ERR_HTTP_REQUEST_TIMEOUT"
      ? [408, errorBody("request_timeout", "The request was not received in time.")]
      : err.code === "HPE_HEADER_OVERFLOW"
        ? [431, errorBody("headers_too_large", "The request's headers are too large.")]
        : [400, errorBody("invalid_request", "The request is not valid HTTP.")];
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}

/** The one error handler and the JSON 404 for unknown routes. */
export function mapErrors(app: FastifyInstance, maxPayloadBytes: number): void {
  app.setErrorHandler((err: FastifyError | HeraldError, req, reply) => {
    if (err instanceof HeraldError) {
      return reply.code(err.statusCode).send(errorBody(err.code, err.message, err.details));
    }
    if (err.validation) {
      const first = err.validation[0];
      const where = `${err.validationContext ?? "body"}${first?.instancePath ?? ""}`;
      // A bad key (propertyNames) is reported by Ajv at its object: name the key.
      const key = (first as { propertyName?: string } | undefined)?.propertyName;
      const message =
        key !== undefined
          ? `${where} has an invalid name ${JSON.stringify(key)}`
          : `${where} ${first?.message ?? "is invalid"}`;
      return reply.code(400).send(errorBody("invalid_request", message, err.validation));
    }
    switch (err.code) {
      case "FST_ERR_CTP_BODY_TOO_LARGE":
        return reply
          .code(413)
          .send(
            errorBody(
              "payload_too_large",
              `The body is larger than ${req.routeOptions.bodyLimit ?? maxPayloadBytes} bytes.`,
            ),
          );
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return reply
          .code(415)
          .send(errorBody("unsupported_media_type", "The body must be application/json."));
      case "FST_ERR_CTP_EMPTY_JSON_BODY":
      case "FST_ERR_CTP_INVALID_JSON_BODY":
        return reply.code(400).send(errorBody("invalid_json", err.message));
    }
    if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) {
      return reply.code(400).send(errorBody("invalid_json", err.message));
    }
    if (isUnavailable(err)) {
      return reply
        .code(503)
        .send(errorBody("storage_unavailable", "The database is unavailable; retry later."));
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send(errorBody("invalid_request", err.message));
    }
    req.log.error({ err }, "unhandled error");
    return reply.code(500).send(errorBody("internal_error", "Internal error."));
  });

  app.setNotFoundHandler((req, reply) => {
    reply
      .code(404)
      .send(errorBody("not_found", `No route ${req.method} ${req.url.split("?")[0]}.`));
  });
}
