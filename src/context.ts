import type { Logger } from "pino";
import type { Config } from "./config.ts";
import type { Sql } from "./db/connect.ts";
import type { Metrics } from "./metrics/metrics.ts";
import type { SecretBox } from "./secrets/box.ts";
import type { Tracing } from "./tracing/tracing.ts";

/** What every module needs, passed in (never a module-level singleton) so tests can build several Heralds. */
export interface Context {
  config: Config;
  sql: Sql;
  log: Logger;
  /** Seals and opens endpoint and source secrets (encrypted at rest). */
  secrets: SecretBox;
  /** Prometheus metrics: what this process counts, and the database's gauges. */
  metrics: Metrics;
  /** OpenTelemetry traces, when an OTLP endpoint is configured. */
  tracing?: Tracing;
  /** Milliseconds since the epoch; injectable so tests control time. */
  now: () => number;
  /**
   * False while a starting Herald migrates and makes its configured key: its API answers 503
   * (and /health/ready is not ready) until then, rather than refusing a key not yet stored.
   * Absent: started.
   */
  started?: boolean;
}
