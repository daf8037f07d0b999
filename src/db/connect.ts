import postgres, { type TransactionSql } from "postgres";

export type Sql = postgres.Sql;
/** A connection pool or an open transaction: what every statement function takes first. */
export type Db = Sql | TransactionSql;

/**
 * Session settings for the worker's connections. Its statements read the queue through one
 * index each, a bounded range in the index's order (the due index by time, with a LIMIT);
 * their generic plans are made from statistics that lag the queue. Taken while nothing was
 * pending, those statistics estimated 1 due row, and the claim read all due rows by bitmap
 * or sequential scan and sorted them, every claim: claims for 100,000 deliveries took
 * 17–20 s instead of ~5 (bench/plan-drift.ts). Off, the planner keeps to the index paths.
 */
export const QUEUE_SESSION = { enable_seqscan: "off", enable_bitmapscan: "off" } as const;

/** A pooled connection to Herald's database. Statements are prepared (postgres.js default). */
export function connect(url: string, max: number, session: Record<string, string> = {}): Sql {
  return postgres(url, {
    max,
    // A multi-host URL (postgres://h1:p1,h2:p2/db?target_session_attrs=read-write) names a
    // primary and its standbys. postgres.js judges "read-write" by default_transaction_read_only
    // alone, which a hot standby reports "off", so it would settle on a standby and every write
    // would fail; "primary" asks in_hot_standby, as libpq's read-write does too.
    ...(targetSessionAttrs(url) === "read-write"
      ? { target_session_attrs: "primary" as const }
      : {}),
    idle_timeout: 60,
    connect_timeout: 5,
    onnotice: () => {},
    connection: {
      application_name: "herald",
      // Herald's statements are few, parameterised and prepared once per connection. Custom
      // plans re-plan each execution (several ms for the ingest statement, measured); the
      // generic plan is as good for all of them, so keep it from the first execution.
      plan_cache_mode: "force_generic_plan",
      // Herald's tables are in public. The default path ("$user", public) would put a role
      // named herald (the embedded superuser, a common DATABASE_URL user) in the schema herald
      // (herald.send_event's) first, where a migration's CREATE TABLE would then land.
      search_path: "public",
      ...session,
    },
  });
}

const UNAVAILABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN", // a DNS lookup that failed for now
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
  "08000",
  "08003",
  "08006",
  "08001",
  "08004",
]);

/** True when an error means the database could not be reached, not that the query was wrong. */
export function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && UNAVAILABLE.has(code);
}

function targetSessionAttrs(url: string): string | null {
  const q = url.indexOf("?");
  return q < 0 ? null : new URLSearchParams(url.slice(q + 1)).get("target_session_attrs");
}
