// One HTTP attempt to an endpoint, through an undici Agent: a keep-alive pool per origin,
// connections capped, no pipelining. Failures are data: every attempt ends in an Outcome.
// Timeouts use undici's own headers/body timers (no per-attempt timer of ours).
import { setMaxListeners } from "node:events";
import { Agent } from "undici";
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
  | "network_error"
  | "aborted";

export interface Outcome {
  kind: OutcomeKind;
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  /** First 1 KiB of the response body (UTF-8, lossy). */
  body: string | null;
  message: string | null;
  retryAfterMs?: number;
}

export interface SenderOptions {
  timeoutMs: number;
  connectTimeoutMs: number;
  connectionsPerOrigin: number;
  allowPrivateNetworks: boolean;
}

const EXCERPT_BYTES = 1024;
/** Response bytes read to keep the connection reusable; past this the connection is dropped. */
const DRAIN_BYTES = 64 * 1024;

export class Sender {
  private readonly agent: Agent;
  private readonly abort = new AbortController();

  constructor(
    private readonly opts: SenderOptions,
    private readonly now: () => number = Date.now,
  ) {
    // Every attempt in flight listens on this one signal.
    setMaxListeners(0, this.abort.signal);
    this.agent = new Agent({
      connections: opts.connectionsPerOrigin,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      connect: {
        timeout: opts.connectTimeoutMs,
        ...(opts.allowPrivateNetworks ? {} : { lookup: publicOnlyLookup }),
      },
    });
  }

  async send(url: string, headers: Record<string, string>, body: string): Promise<Outcome> {
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
      if (err)
        return done({ kind: "ssrf_blocked", statusCode: null, body: null, message: err.message });
    }
    try {
      const res = await this.agent.request({
        origin: target.origin,
        path: target.pathname + target.search,
        method: "POST",
        headers,
        body,
        signal: this.abort.signal,
      });
      const excerpt = await readExcerpt(res.body);
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      return done({
        kind: ok ? "ok" : "http_error",
        statusCode: res.statusCode,
        body: excerpt,
        message: ok ? null : `HTTP ${res.statusCode}`,
        retryAfterMs:
          res.statusCode === 429 || res.statusCode === 503
            ? parseRetryAfter(res.headers["retry-after"], this.now())
            : undefined,
      });
    } catch (err) {
      return done({
        kind: classify(err),
        statusCode: null,
        body: null,
        message: errorMessage(err),
      });
    }
  }

  /** Aborts every attempt in progress (shutdown after the grace period). */
  abortAll(): void {
    this.abort.abort();
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }
}

async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
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
  return Buffer.concat(parts).toString("utf8");
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
  return "network_error";
}

function errorMessage(err: unknown): string {
  const e = err as { message?: string; code?: string; cause?: { message?: string } };
  const msg = e?.cause?.message ?? e?.message ?? String(err);
  return (e?.code ? `${e.code}: ${msg}` : msg).slice(0, 500);
}
