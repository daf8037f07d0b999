// GET /v1/stream: the dashboard's live feed as Server-Sent Events (see stream/feed.ts for what
// is sent and when). Browsers' EventSource cannot send headers, so this route also takes a
// stream token as ?access_token=: made by POST /v1/stream-tokens, it stands for the key that
// made it for five minutes (never the key itself in a URL, where proxies and histories keep
// it). The parameter is cut out of every request URL before routing (rewriteUrl) and kept on
// the raw request, so no log line, error or handler ever sees it.
import type { IncomingMessage } from "node:http";
import type { FastifyInstance } from "fastify";
import { type Signed, TokenSigner } from "../../auth/tokens.ts";
import type { Context } from "../../context.ts";
import type { Overview } from "../../stats/overview.ts";
import { ChangeFeed, type Subscriber } from "../../stream/feed.ts";

declare module "fastify" {
  interface FastifyInstance {
    /** The live stream's shared poller (tests look at its counters). */
    changeFeed: ChangeFeed;
  }
}

export const STREAM_PATH = "/v1/stream";
/** EventSource waits this long before reconnecting (the `retry:` hint). */
const RETRY_MS = 2_000;
const HEARTBEAT_MS = 15_000;
/** Most changes of one kind sent from one poll; more become a `lag` message. */
const BATCH_LIMIT = 200;
/** A client with this much unsent data cannot keep up: it is dropped, and reconnects. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** How long a stream token opens the stream (and reopens it after a network error). */
export const STREAM_TOKEN_TTL_MS = 5 * 60_000;

/** A stream token's payload: the id of the key it stands for (`k`) and its expiry. */
export interface StreamGrant extends Signed {
  k: string;
}

export function streamTokenSigner(ctx: Context): TokenSigner<StreamGrant> {
  return new TokenSigner(
    "hst_",
    ctx.secrets.derive("stream tokens"),
    (v): v is StreamGrant =>
      typeof v === "object" &&
      v !== null &&
      typeof (v as StreamGrant).k === "string" &&
      typeof (v as StreamGrant).e === "number",
  );
}

const TOKEN = Symbol("access_token");
type RawRequest = IncomingMessage & { [TOKEN]?: string; originalUrl?: string };

/**
 * Fastify's rewriteUrl: returns the URL without any access_token parameter and keeps the
 * token on the request for `accessToken`. Cheap for every other request (one substring test).
 */
export function stripAccessToken(raw: RawRequest): string {
  const url = raw.url ?? "/";
  const q = url.indexOf("?");
  if (q < 0 || !url.includes("access_token", q)) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  const token = params.get("access_token");
  if (token !== null) raw[TOKEN] = token;
  params.delete("access_token");
  const rest = params.toString();
  const stripped = url.slice(0, q) + (rest ? `?${rest}` : "");
  raw.originalUrl = stripped;
  return stripped;
}

/** The ?access_token= this request came with, if any. */
export function accessToken(raw: IncomingMessage): string | undefined {
  return (raw as RawRequest)[TOKEN];
}

export function streamRoutes(
  app: FastifyInstance,
  ctx: Context,
  overview: Overview,
  tokens: TokenSigner<StreamGrant>,
): void {
  app.post(
    "/v1/stream-tokens",
    // Read-only keys may watch the stream: making a token changes nothing.
    { config: { operator: true, reads: true } },
    async (req, reply) => {
      const expires = ctx.now() + STREAM_TOKEN_TTL_MS;
      reply.code(201);
      return {
        token: tokens.sign({ k: req.principal.keyId, e: expires }),
        expires_at: new Date(expires).toISOString(),
      };
    },
  );

  const feed = new ChangeFeed(ctx, {
    pollMs: ctx.config.streamPollMs,
    statsMs: ctx.config.streamStatsMs,
    heartbeatMs: HEARTBEAT_MS,
    lingerMs: ctx.config.streamLingerMs,
    batchLimit: BATCH_LIMIT,
    stats: () => overview.get(),
  });
  app.decorate("changeFeed", feed);
  // Open streams would keep app.close() waiting for ever: end them first.
  app.addHook("preClose", async () => feed.close());

  app.get<{ Headers: { "last-event-id"?: string } }>(
    STREAM_PATH,
    {
      // The feed carries every tenant's deliveries and the overview across tenants.
      config: { operator: true },
      schema: {
        querystring: { type: "object", additionalProperties: false, properties: {} },
        headers: {
          type: "object",
          properties: { "last-event-id": { type: "string", maxLength: 100 } },
        },
      },
    },
    (req, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        // Proxies such as nginx would otherwise hold messages back in their buffers.
        "x-accel-buffering": "no",
      });
      res.write(`retry: ${RETRY_MS}\n\n`);

      let open = true;
      let unsubscribe: (() => void) | undefined;
      const sub: Subscriber = {
        send(frame) {
          if (!open) return;
          if (res.writableLength > MAX_BUFFERED_BYTES) {
            open = false;
            unsubscribe?.();
            res.destroy();
            return;
          }
          res.write(frame);
        },
        close() {
          if (!open) return;
          open = false;
          unsubscribe?.();
          res.end();
        },
      };
      res.on("close", () => {
        open = false;
        unsubscribe?.();
      });
      unsubscribe = feed.subscribe(sub, req.headers["last-event-id"]);
    },
  );
}
