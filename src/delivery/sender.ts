// One HTTP attempt to an endpoint, through an undici Agent: a keep-alive pool per origin,
// connections capped, no pipelining. Failures are data: every attempt ends in an Outcome.
//
// Each attempt has one deadline for everything — connecting, the response headers and reading
// the excerpt of its body — enforced by aborting the request. undici's own timers measure idle
// time: a receiver that trickles a byte a second would keep an attempt alive for ever. Whatever
// the receiver sends back is reduced to storable text (db/text.ts) before it leaves here.
import { Agent } from "undici";
import { storableText } from "../db/text.ts";
import { parseRetryAfter } from "./backoff.ts";
import { checkLiteralHost, publicOnlyLookup, SSRF_CODE } from "./ssrf.ts";

export type OutcomeKind =
  | "ok"
  | "http_error"
  | "timeout"
  | "connect_error"
  | "dns_error"
  | "tls_error"
  | "ssrf_blocked"
  | "invalid_response"
  | "network_error"
  | "aborted"
  /** The endpoint's secret is sealed with a key this process lacks (nothing was sent). */
  | "secret_unavailable";

export interface Outcome {
  kind: OutcomeKind;
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  /** The first EXCERPT_BYTES of the response body, as storable text. */
  body: string | null;
  message: string | null;
  retryAfterMs?: number;
}

export interface SenderOptions {
  /** The whole attempt's deadline, in ms. */
  timeoutMs: number;
  connectTimeoutMs: number;
  connectionsPerOrigin: number;
  allowPrivateNetworks: boolean;
}

const EXCERPT_BYTES = 1024;
/** Response bytes read to keep the connection reusable; past this the connection is dropped. */
const DRAIN_BYTES = 64 * 1024;
const MESSAGE_CHARS = 500;

/** Why an attempt was aborted (the AbortSignal's reason). */
const DEADLINE = Symbol("deadline");
const SHUTDOWN = Symbol("shutdown");

export class Sender {
  private readonly agent: Agent;
  /** The controllers of attempts in progress, so shutdown can abort them all. */
  private readonly running = new Set<AbortController>();

  constructor(
    private readonly opts: SenderOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.agent = new Agent({
      connections: opts.connectionsPerOrigin,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      // Idle timers as a backstop; the deadline below is what bounds an attempt.
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      connect: {
        timeout: opts.connectTimeoutMs,
        ...(opts.allowPrivateNetworks ? {} : { lookup: publicOnlyLookup }),
      },
    });
  }

  /**
   * Sends one attempt. It ends by `deadlineAt` (ms since the epoch) if given and sooner than
   * the configured timeout: the worker passes its lease's end, so an attempt never outlives it.
   */
  async send(
    url: string,
    headers: Record<string, string>,
    body: string,
    deadlineAt?: number,
  ): Promise<Outcome> {
    const startedAt = this.now();
    const done = (o: Omit<Outcome, "startedAt" | "durationMs">): Outcome => ({
      ...o,
      startedAt,
      durationMs: this.now() - startedAt,
    });
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return done({ kind: "network_error", statusCode: null, body: null, message: "invalid URL" });
    }
    if (!this.opts.allowPrivateNetworks) {
      const err = checkLiteralHost(target.hostname);
      if (err) {
        const message = storableText(err.message, MESSAGE_CHARS);
        return done({ kind: "ssrf_blocked", statusCode: null, body: null, message });
      }
    }
    // Credentials in the URL are sent the way a browser would, as Basic auth (an endpoint's own
    // Authorization header wins); the request line never carries them.
    if (target.username || target.password) headers = withBasicAuth(headers, target);
    const controller = new AbortController();
    const ms = Math.min(this.opts.timeoutMs, (deadlineAt ?? Number.POSITIVE_INFINITY) - startedAt);
    const timer = setTimeout(() => controller.abort(DEADLINE), Math.max(0, ms));
    this.running.add(controller);
    let statusCode: number | null = null;
    try {
      const res = await this.agent.request({
        origin: target.origin,
        path: target.pathname + target.search,
        method: "POST",
        headers,
        body,
        signal: controller.signal,
      });
      statusCode = res.statusCode;
      const excerpt = storableText(await readExcerpt(res.body), EXCERPT_BYTES);
      const ok = statusCode >= 200 && statusCode < 300;
      return done({
        kind: ok ? "ok" : "http_error",
        statusCode,
        body: excerpt,
        message: ok ? null : httpMessage(statusCode),
        retryAfterMs:
          statusCode === 429 || statusCode === 503
            ? parseRetryAfter(res.headers["retry-after"], this.now())
            : undefined,
      });
    } catch (err) {
      const reason = controller.signal.reason;
      if (reason === DEADLINE) {
        const message = `no complete answer within ${ms} ms${statusCode === null ? "" : ` (HTTP ${statusCode} then the body stalled)`}`;
        return done({ kind: "timeout", statusCode, body: null, message });
      }
      if (reason === SHUTDOWN) {
        return done({ kind: "aborted", statusCode, body: null, message: "Herald was stopping" });
      }
      return done({
        kind: classify(err),
        statusCode,
        body: null,
        message: storableText(errorMessage(err), MESSAGE_CHARS),
      });
    } finally {
      clearTimeout(timer);
      this.running.delete(controller);
    }
  }

  /** Aborts every attempt in progress (shutdown after the grace period). */
  abortAll(): void {
    for (const controller of this.running) controller.abort(SHUTDOWN);
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }
}

function httpMessage(statusCode: number): string {
  return statusCode >= 300 && statusCode < 400
    ? `HTTP ${statusCode} (redirects are not followed)`
    : `HTTP ${statusCode}`;
}

/** Reads up to DRAIN_BYTES of the body (keeping the connection reusable); returns the first EXCERPT_BYTES. */
async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<Buffer> {
  const parts: Buffer[] = [];
  let kept = 0;
  let seen = 0;
  for await (const chunk of body) {
    if (kept < EXCERPT_BYTES) {
      const part = chunk.subarray(0, EXCERPT_BYTES - kept);
      parts.push(part);
      kept += part.length;
    }
    seen += chunk.length;
    if (seen > DRAIN_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(parts);
}

function codeOf(err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === "UND_ERR_CONNECT_TIMEOUT" || !e?.cause?.code ? (e?.code ?? "") : e.cause.code;
}

export function classify(err: unknown): OutcomeKind {
  const code = codeOf(err);
  if (code === SSRF_CODE) return "ssrf_blocked";
  if (code === "UND_ERR_ABORTED" || (err as Error)?.name === "AbortError") return "aborted";
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") return "timeout";
  if (code === "UND_ERR_CONNECT_TIMEOUT" || code === "ETIMEDOUT") return "timeout";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_FAIL") return "dns_error";
  if (code === "ECONNREFUSED" || code === "EHOSTUNREACH" || code === "ENETUNREACH")
    return "connect_error";
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH)/.test(code)) {
    return "tls_error";
  }
  // The answer broke HTTP: headers over the size limit, a malformed status line or framing.
  if (/^(HPE_|UND_ERR_HEADERS_OVERFLOW|UND_ERR_RES_)/.test(code)) return "invalid_response";
  return "network_error";
}

function errorMessage(err: unknown): string {
  const e = err as { message?: string; code?: string; cause?: { message?: string } };
  const msg = e?.cause?.message ?? e?.message ?? String(err);
  return e?.code ? `${e.code}: ${msg}` : msg;
}

function withBasicAuth(headers: Record<string, string>, url: URL): Record<string, string> {
  if (Object.keys(headers).some((h) => h.toLowerCase() === "authorization")) return headers;
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return { ...headers, authorization: `Basic ${Buffer.from(pair).toString("base64")}` };
}
