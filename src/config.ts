// Herald's configuration: every option declared once, with its type, default and meaning,
// read from the environment (and a few CLI flags) in this one place and validated at start.
import { fileURLToPath } from "node:url";
import { isLoopbackName } from "./http/loopback.ts";
import { parseKey } from "./secrets/box.ts";
import { isSharedSecret } from "./signing/hex-hmac.ts";

export type Role = "all" | "api" | "worker";

export interface Config {
  /** HTTP port of the API and dashboard (`HERALD_PORT`, else `PORT`). */
  port: number;
  /** Address the HTTP server binds to (`HERALD_HOST`). */
  host: string;
  /** Which parts run in this process: API, worker, or both (`--role`). */
  role: Role;
  /** PostgreSQL connection string; unset means an embedded server (`DATABASE_URL`). */
  databaseUrl: string | undefined;
  /** Folder of the embedded PostgreSQL's data and Herald's local state (`HERALD_DATA_DIR`). */
  dataDir: string;
  /** Port of the embedded PostgreSQL (`HERALD_PG_PORT`). */
  embeddedPgPort: number;
  /** Connections in this process's database pool (`HERALD_DB_POOL`). */
  dbPoolSize: number;
  /**
   * An admin API key (`HERALD_API_KEY`, at least 32 characters); stored hashed. Changing it
   * revokes the previous one. Unset: a key is generated on a first start.
   */
  apiKey: string | undefined;
  /**
   * The key that encrypts endpoint and source secrets, 32 bytes as base64 or hex
   * (`HERALD_ENCRYPTION_KEY`). Unset: a key generated into the data directory.
   */
  encryptionKey: string | undefined;
  /** Other keys that open secrets, comma-separated (`HERALD_DECRYPTION_KEYS`): for rotation. */
  decryptionKeys: string[];
  /**
   * `POST /events` (the seed clients' route) without a key (`HERALD_SEED_API=open`): only on a
   * loopback address, and only for requests naming a loopback host. Unset or `key`: an admin key.
   */
  seedApiOpen: boolean;
  /**
   * The seed's shared secret (`HERALD_SEED_SECRET`): when set, endpoints made for POST /events
   * target_urls sign the seed's way (signature scheme seed-000: hex `X-Signature` keyed with
   * this string, `event_id` in the body), so the seed's receivers verify unchanged.
   */
  seedSecret: string | undefined;
  /** Prometheus metrics kept and served (`HERALD_METRICS`, on or off; default on). */
  metrics: boolean;
  /**
   * A port of its own for GET /metrics, without a key (`HERALD_METRICS_PORT`), on HERALD_HOST.
   * With --processes the supervisor answers there for all its processes. Unset: GET /metrics
   * on the API's port, with an admin:read key.
   */
  metricsPort: number | undefined;
  /** Endpoints that get series of their own (`HERALD_METRICS_ENDPOINTS`, ids comma-separated). */
  metricsEndpoints: string[];
  /**
   * Where traces go (OTLP/HTTP): OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, or
   * OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. Unset (or OTEL_SDK_DISABLED=true): no tracing.
   */
  otlpTracesUrl: string | undefined;
  /** The traces' service.name (`OTEL_SERVICE_NAME`, default herald). */
  otelServiceName: string;
  /** Which traces are recorded (`OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`). */
  otelSampler: TraceSampler;
  /** The batch span processor's settings (`OTEL_BSP_*`), unset ones the SDK's defaults. */
  otelBatch: {
    scheduledDelayMillis?: number;
    exportTimeoutMillis?: number;
    maxQueueSize?: number;
    maxExportBatchSize?: number;
  };
  /**
   * The address merchants reach Herald at, for portal links (`HERALD_PUBLIC_URL`, e.g.
   * https://webhooks.example.com). Unset: the origin the request making the link came to.
   * https here also makes the portal's cookie Secure.
   */
  publicUrl: string | undefined;
  /** The portal's title (`HERALD_PORTAL_NAME`). */
  portalName: string;
  /** The portal's accent colour, #rrggbb (`HERALD_PORTAL_ACCENT`). */
  portalAccent: string;
  /**
   * Origins whose pages may show the portal in a frame, space-separated
   * (`HERALD_PORTAL_FRAME_ANCESTORS`, e.g. https://app.example.com). Empty: none may.
   */
  portalFrameAncestors: string[];
  /** Failed authentications a client address may make per minute before 429 (`HERALD_AUTH_FAILURES_PER_MINUTE`). */
  authFailuresPerMinute: number;
  /**
   * A client must send a whole request (headers and body) within this, in ms, or it is answered
   * 408 and disconnected (`HERALD_REQUEST_TIMEOUT_MS`).
   */
  requestTimeoutMs: number;
  /** A client must send a request's headers within this, in ms (`HERALD_HEADERS_TIMEOUT_MS`). */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this, in ms (`HERALD_KEEPALIVE_TIMEOUT_MS`). */
  keepAliveTimeoutMs: number;
  /** Open client connections at most; more are refused at once (`HERALD_MAX_CONNECTIONS`). */
  maxConnections: number;
  /** Largest accepted request body in bytes (`HERALD_MAX_PAYLOAD_BYTES`). */
  maxPayloadBytes: number;
  /** Most events in one `POST /v1/events/batch` (`HERALD_MAX_BATCH_EVENTS`). */
  maxBatchEvents: number;
  /** Largest `POST /v1/events/batch` body in bytes (`HERALD_MAX_BATCH_BYTES`); each payload is still held to maxPayloadBytes. */
  maxBatchBytes: number;
  /**
   * Check every answer against its route's response schema, a mismatch a 500
   * (`HERALD_CHECK_RESPONSES=1`; the test suite's, not production's).
   */
  checkResponses: boolean;
  /** Per-attempt HTTP timeout in ms (`HERALD_TIMEOUT_MS`). */
  timeoutMs: number;
  /** TCP/TLS connect timeout in ms (`HERALD_CONNECT_TIMEOUT_MS`). */
  connectTimeoutMs: number;
  /** First retry wait ceiling in ms; doubles per attempt (`HERALD_RETRY_BASE_MS`). */
  retryBaseMs: number;
  /** Cap on any single retry wait in ms (`HERALD_RETRY_MAX_WAIT_MS`). */
  retryMaxWaitMs: number;
  /** How long after its first attempt a delivery is retried, in ms (`HERALD_RETRY_WINDOW_MS`). */
  retryWindowMs: number;
  /** Upper bound on attempts per delivery; unset = bounded by the window only (`HERALD_MAX_ATTEMPTS`). */
  maxAttempts: number | undefined;
  /** How long a claimed delivery belongs to its worker before others may reclaim it, in ms (`HERALD_LEASE_MS`). */
  leaseMs: number;
  /** Concurrent HTTP attempts per worker process (`HERALD_WORKER_CONCURRENCY`). */
  workerConcurrency: number;
  /** Fallback poll interval of an idle worker in ms; NOTIFY wakes it sooner (`HERALD_POLL_INTERVAL_MS`). */
  pollIntervalMs: number;
  /** Keep-alive connections per destination origin (`HERALD_CONNECTIONS_PER_ORIGIN`). */
  connectionsPerOrigin: number;
  /** Deliver to loopback/private/link-local addresses (`HERALD_ALLOW_PRIVATE_NETWORKS`, `--allow-private-networks`). */
  allowPrivateNetworks: boolean;
  /** How long SIGTERM waits for in-flight attempts before aborting them, in ms (`HERALD_SHUTDOWN_GRACE_MS`). */
  shutdownGraceMs: number;
  /** pino log level (`HERALD_LOG_LEVEL`). */
  logLevel: string;
  /** Consecutive failed attempts that open an endpoint's circuit (`HERALD_CIRCUIT_FAILURES`). */
  circuitFailures: number;
  /** First circuit cool-down in ms; doubles while probes fail (`HERALD_CIRCUIT_COOLDOWN_MS`). */
  circuitCooldownMs: number;
  /** Longest circuit cool-down in ms (`HERALD_CIRCUIT_MAX_COOLDOWN_MS`). */
  circuitMaxCooldownMs: number;
  /** An endpoint failing without a success for this long is disabled, in ms (`HERALD_DISABLE_AFTER`, e.g. "5d"). */
  disableAfterMs: number;
  /** After a secret rotation, how long the previous secret still signs, in ms (`HERALD_ROTATION_GRACE`, e.g. "24h"). */
  rotationGraceMs: number;
  /** Finished deliveries, their attempts and events older than this many days are purged (`HERALD_RETENTION_DAYS`). */
  retentionDays: number;
  /** How often each process tries a retention round, in ms (`HERALD_RETENTION_INTERVAL`, e.g. "5m"). */
  retentionIntervalMs: number;
  /** Folder of the built dashboard served at `/` (`HERALD_WEB_DIR`; default: web/dist of this package). */
  webDir: string;
  /** How often the live stream reads changes while a client is connected, in ms (`HERALD_STREAM_POLL_MS`). */
  streamPollMs: number;
  /** How often the live stream sends the overview numbers, in ms (`HERALD_STREAM_STATS_MS`). */
  streamStatsMs: number;
  /**
   * How long the stream's poller keeps running after the last client left, so a browser that
   * reconnects resumes without refetching, in ms (`HERALD_STREAM_LINGER_MS`).
   */
  streamLingerMs: number;
}

export class ConfigError extends Error {}

/** HERALD_API_KEY must be at least this long (a generated key is 35). */
const MIN_CONFIGURED_KEY_LENGTH = 32;

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw.trim()))
    throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min) throw new ConfigError(`${name} must be at least ${min}, got ${n}`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

const HOUR = 3_600_000;
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: HOUR, d: 24 * HOUR };

function publicUrl(env: Env): string | undefined {
  const raw = env.HERALD_PUBLIC_URL?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `HERALD_PUBLIC_URL must be a URL like https://webhooks.example.com, got "${raw}"`,
    );
  }
  if (!["http:", "https:"].includes(url.protocol) || url.search || url.hash || url.username) {
    throw new ConfigError(
      `HERALD_PUBLIC_URL must be an http(s) URL without query or credentials, got "${raw}"`,
    );
  }
  return url.toString().replace(/\/+$/, "");
}

function portalName(env: Env): string {
  const raw = env.HERALD_PORTAL_NAME?.trim() || "Webhooks";
  if (raw.length > 100 || /\p{Cc}/u.test(raw)) {
    throw new ConfigError(
      "HERALD_PORTAL_NAME must be at most 100 characters, without control characters",
    );
  }
  return raw;
}

function portalAccent(env: Env): string {
  const raw = env.HERALD_PORTAL_ACCENT?.trim() || "#2563eb";
  if (!/^#[0-9a-fA-F]{6}$/.test(raw)) {
    throw new ConfigError(`HERALD_PORTAL_ACCENT must be a colour like #2563eb, got "${raw}"`);
  }
  return raw.toLowerCase();
}

/** Origins (scheme://host[:port]) a CSP frame-ancestors directive can name as they are. */
function frameAncestors(env: Env): string[] {
  const list = (env.HERALD_PORTAL_FRAME_ANCESTORS ?? "").split(/[\s,]+/).filter(Boolean);
  for (const origin of list) {
    if (!/^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i.test(origin)) {
      throw new ConfigError(
        `HERALD_PORTAL_FRAME_ANCESTORS takes origins like https://app.example.com, got "${origin}"`,
      );
    }
  }
  return list;
}

function seedApi(env: Env): boolean {
  const raw = env.HERALD_SEED_API?.trim() || "key";
  if (raw !== "open" && raw !== "key") {
    throw new ConfigError(`HERALD_SEED_API must be "key" or "open", got "${raw}"`);
  }
  return raw === "open";
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (raw === "on" || raw === "true" || raw === "1") return true;
  if (raw === "off" || raw === "false" || raw === "0") return false;
  throw new ConfigError(`${name} must be on or off, got "${env[name]}"`);
}

/** At most this many endpoints get series of their own: each adds a dozen series. */
const MAX_METRICS_ENDPOINTS = 100;

function metricsEndpoints(env: Env): string[] {
  const ids = (env.HERALD_METRICS_ENDPOINTS ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length > MAX_METRICS_ENDPOINTS) {
    throw new ConfigError(
      `HERALD_METRICS_ENDPOINTS names ${ids.length} endpoints; at most ${MAX_METRICS_ENDPOINTS} (each adds series)`,
    );
  }
  return ids;
}

const TRACE_SAMPLERS = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;

export interface TraceSampler {
  name: (typeof TRACE_SAMPLERS)[number];
  /** The share of traces recorded, for the traceidratio samplers. */
  ratio: number;
}

/** OTEL_TRACES_SAMPLER as the OpenTelemetry specification names them; default parentbased_always_on. */
function traceSampler(env: Env): TraceSampler {
  const raw = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() || "parentbased_always_on";
  const name = TRACE_SAMPLERS.find((s) => s === raw);
  if (!name) {
    throw new ConfigError(
      `OTEL_TRACES_SAMPLER must be one of ${TRACE_SAMPLERS.join(", ")}, got "${raw}"`,
    );
  }
  const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (!name.endsWith("traceidratio") || !arg) return { name, ratio: 1 };
  const ratio = Number(arg);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new ConfigError(`OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1, got "${arg}"`);
  }
  return { name, ratio };
}

function batchSpanProcessor(env: Env): Config["otelBatch"] {
  const settings: Config["otelBatch"] = {};
  const names = {
    OTEL_BSP_SCHEDULE_DELAY: "scheduledDelayMillis",
    OTEL_BSP_EXPORT_TIMEOUT: "exportTimeoutMillis",
    OTEL_BSP_MAX_QUEUE_SIZE: "maxQueueSize",
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "maxExportBatchSize",
  } as const;
  for (const [variable, key] of Object.entries(names)) {
    const raw = env[variable]?.trim();
    if (!raw) continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigError(`${variable} must be a whole number above 0, got "${raw}"`);
    }
    settings[key] = value;
  }
  const { maxQueueSize, maxExportBatchSize } = settings;
  if ((maxExportBatchSize ?? 512) > (maxQueueSize ?? 2048)) {
    throw new ConfigError("OTEL_BSP_MAX_EXPORT_BATCH_SIZE must not exceed OTEL_BSP_MAX_QUEUE_SIZE");
  }
  return settings;
}

function otlpTracesUrl(env: Env): string | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return undefined;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const url = traces || (base ? `${base.replace(/\/+$/, "")}/v1/traces` : undefined);
  if (url === undefined) return undefined;
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
  } catch {
    throw new ConfigError(
      `${traces ? "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" : "OTEL_EXPORTER_OTLP_ENDPOINT"} must be an http(s) URL, got "${traces || base}"`,
    );
  }
  return url;
}

function seedSecret(env: Env): string | undefined {
  const raw = env.HERALD_SEED_SECRET;
  if (raw === undefined || raw === "") return undefined;
  if (!isSharedSecret(raw)) {
    throw new ConfigError("HERALD_SEED_SECRET must be 8 to 200 printable ASCII characters");
  }
  return raw;
}

/** A duration: milliseconds as a bare number, or a number with a unit (ms, s, m, h, d). */
function duration(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const m = raw.match(/^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/);
  if (!m)
    throw new ConfigError(`${name} must be a duration like 5000, 30s, 24h or 5d, got "${raw}"`);
  return Math.round(Number(m[1]) * (UNITS[m[2] ?? "ms"] as number));
}

/** Builds the configuration from an environment and parsed CLI flags. Throws ConfigError on bad values. */
export function loadConfig(env: Env = process.env, flags: Partial<Config> = {}): Config {
  const timeoutMs = int(env, "HERALD_TIMEOUT_MS", 10_000, 1);
  const maxAttempts = env.HERALD_MAX_ATTEMPTS ? int(env, "HERALD_MAX_ATTEMPTS", 0, 1) : undefined;
  const config: Config = {
    port: int(env, "HERALD_PORT", int(env, "PORT", 3000)),
    host: env.HERALD_HOST || "127.0.0.1",
    role: "all",
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.HERALD_DATA_DIR || ".herald",
    embeddedPgPort: int(env, "HERALD_PG_PORT", 54329, 1),
    dbPoolSize: int(env, "HERALD_DB_POOL", 10, 2),
    apiKey: env.HERALD_API_KEY || undefined,
    encryptionKey: env.HERALD_ENCRYPTION_KEY?.trim() || undefined,
    decryptionKeys: (env.HERALD_DECRYPTION_KEYS ?? "")
      .split(",")
      .map((k) => k.trim())
      .filter(Boolean),
    seedApiOpen: seedApi(env),
    seedSecret: seedSecret(env),
    metrics: onOff(env, "HERALD_METRICS", true),
    metricsPort: env.HERALD_METRICS_PORT ? int(env, "HERALD_METRICS_PORT", 0, 0) : undefined,
    metricsEndpoints: metricsEndpoints(env),
    otlpTracesUrl: otlpTracesUrl(env),
    otelServiceName: env.OTEL_SERVICE_NAME?.trim() || "herald",
    otelSampler: traceSampler(env),
    otelBatch: batchSpanProcessor(env),
    publicUrl: publicUrl(env),
    portalName: portalName(env),
    portalAccent: portalAccent(env),
    portalFrameAncestors: frameAncestors(env),
    authFailuresPerMinute: int(env, "HERALD_AUTH_FAILURES_PER_MINUTE", 30, 1),
    requestTimeoutMs: int(env, "HERALD_REQUEST_TIMEOUT_MS", 30_000, 100),
    headersTimeoutMs: int(env, "HERALD_HEADERS_TIMEOUT_MS", 10_000, 100),
    // Longer than the idle timeout of common load balancers (60 s), as Fastify's default.
    keepAliveTimeoutMs: int(env, "HERALD_KEEPALIVE_TIMEOUT_MS", 72_000, 100),
    maxConnections: int(env, "HERALD_MAX_CONNECTIONS", 10_000, 1),
    maxPayloadBytes: int(env, "HERALD_MAX_PAYLOAD_BYTES", 1024 * 1024, 1024),
    maxBatchEvents: int(env, "HERALD_MAX_BATCH_EVENTS", 1_000, 1),
    maxBatchBytes: int(env, "HERALD_MAX_BATCH_BYTES", 16 * 1024 * 1024, 1024),
    checkResponses: env.HERALD_CHECK_RESPONSES === "1",
    timeoutMs,
    connectTimeoutMs: int(env, "HERALD_CONNECT_TIMEOUT_MS", Math.min(5_000, timeoutMs), 1),
    retryBaseMs: int(env, "HERALD_RETRY_BASE_MS", 2_000, 1),
    retryMaxWaitMs: int(env, "HERALD_RETRY_MAX_WAIT_MS", HOUR, 1),
    retryWindowMs: int(env, "HERALD_RETRY_WINDOW_MS", 72 * HOUR, 1),
    maxAttempts,
    // The lease must outlive the longest attempt plus the time to record its outcome.
    leaseMs: int(env, "HERALD_LEASE_MS", Math.max(60_000, timeoutMs * 3), 100),
    workerConcurrency: int(env, "HERALD_WORKER_CONCURRENCY", 128, 1),
    pollIntervalMs: int(env, "HERALD_POLL_INTERVAL_MS", 1_000, 10),
    connectionsPerOrigin: int(env, "HERALD_CONNECTIONS_PER_ORIGIN", 32, 1),
    allowPrivateNetworks: bool(env, "HERALD_ALLOW_PRIVATE_NETWORKS", false),
    shutdownGraceMs: int(env, "HERALD_SHUTDOWN_GRACE_MS", timeoutMs + 1_000, 0),
    logLevel: env.HERALD_LOG_LEVEL || "info",
    circuitFailures: int(env, "HERALD_CIRCUIT_FAILURES", 5, 1),
    circuitCooldownMs: duration(env, "HERALD_CIRCUIT_COOLDOWN_MS", 30_000),
    circuitMaxCooldownMs: duration(env, "HERALD_CIRCUIT_MAX_COOLDOWN_MS", HOUR),
    disableAfterMs: duration(env, "HERALD_DISABLE_AFTER", 5 * 24 * HOUR),
    rotationGraceMs: duration(env, "HERALD_ROTATION_GRACE", 24 * HOUR),
    retentionDays: int(env, "HERALD_RETENTION_DAYS", 30, 1),
    retentionIntervalMs: duration(env, "HERALD_RETENTION_INTERVAL", 5 * 60_000),
    webDir: env.HERALD_WEB_DIR || fileURLToPath(new URL("../web/dist", import.meta.url)),
    streamPollMs: int(env, "HERALD_STREAM_POLL_MS", 500, 50),
    streamStatsMs: int(env, "HERALD_STREAM_STATS_MS", 2_000, 100),
    streamLingerMs: duration(env, "HERALD_STREAM_LINGER_MS", 15_000),
    ...flags,
  };
  if (config.headersTimeoutMs > config.requestTimeoutMs) {
    throw new ConfigError(
      "HERALD_HEADERS_TIMEOUT_MS must not be longer than HERALD_REQUEST_TIMEOUT_MS",
    );
  }
  if (config.apiKey !== undefined && config.apiKey.length < MIN_CONFIGURED_KEY_LENGTH) {
    throw new ConfigError(
      `HERALD_API_KEY must be at least ${MIN_CONFIGURED_KEY_LENGTH} characters (openssl rand -base64 32 makes one)`,
    );
  }
  for (const [name, key] of [
    ["HERALD_ENCRYPTION_KEY", config.encryptionKey],
    ...config.decryptionKeys.map((k) => ["HERALD_DECRYPTION_KEYS", k]),
  ] as const) {
    if (key !== undefined && !parseKey(key)) {
      throw new ConfigError(
        `${name} must be 32 bytes as base64 or hex (openssl rand -base64 32 makes one)`,
      );
    }
  }
  if (config.seedApiOpen && !isLoopbackName(config.host)) {
    throw new ConfigError(
      `HERALD_SEED_API=open serves POST /events without a key, so only on a loopback address; HERALD_HOST is ${config.host}`,
    );
  }
  if (config.leaseMs <= config.timeoutMs) {
    throw new ConfigError("HERALD_LEASE_MS must be longer than HERALD_TIMEOUT_MS");
  }
  return config;
}
