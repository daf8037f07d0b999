// `herald outbox init|status` and `herald outbox` (the relay): a platform on a database of its
// own writes events into an outbox table in the same transactions as its business rows, and
// the relay moves them into Herald (outbox/relay.ts).
import { parseArgs } from "node:util";
import pino from "pino";
import { ConfigError } from "../config.ts";
import {
  connectOutbox,
  initOutbox,
  outboxStatus,
  outboxTable,
  type Relay,
  startRelay,
} from "../outbox/relay.ts";
import { type Env, type Out, show, target } from "./client.ts";

export const OUTBOX_USAGE = `  herald outbox init --from APP_DATABASE_URL [--table herald_outbox]
  herald outbox status --from APP_DATABASE_URL [--table herald_outbox] [--json]
  herald outbox --from APP_DATABASE_URL [--table herald_outbox] [--batch 500] [--url URL] [--key KEY]
    The outbox in the platform's own database: init creates the table your transactions insert
    events into; the relay sends its rows to Herald in order, once each, deleting each row only
    after Herald has committed it. --from defaults to HERALD_OUTBOX_DATABASE_URL.`;

const OPTIONS = {
  from: { type: "string" },
  table: { type: "string", default: "herald_outbox" },
  batch: { type: "string", default: "500" },
  "poll-ms": { type: "string", default: "1000" },
  "stats-ms": { type: "string", default: "10000" },
  url: { type: "string" },
  key: { type: "string" },
  json: { type: "boolean" },
} as const;

/**
 * Runs `init` or `status` to the end; for the relay, answers it running (the caller stops it
 * on a signal).
 */
export async function outboxCommand(
  args: string[],
  env: Env,
  out: Out,
): Promise<Relay | undefined> {
  const sub = args[0] === "init" || args[0] === "status" ? args[0] : "relay";
  const { values, positionals } = parseArgs({
    args: sub === "relay" ? args : args.slice(1),
    options: OPTIONS,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new ConfigError(`unknown outbox command "${positionals[0]}"`);
  const from = values.from ?? env.HERALD_OUTBOX_DATABASE_URL;
  if (!from) {
    throw new ConfigError(
      "the platform's database is needed: --from or HERALD_OUTBOX_DATABASE_URL",
    );
  }
  const table = outboxTable(values.table);
  const count = (flag: string, v: string, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new ConfigError(`--${flag} must be an integer in [${min}, ${max}]`);
    }
    return n;
  };
  const batchSize = count("batch", values.batch, 1, 10_000);
  const pollMs = count("poll-ms", values["poll-ms"], 10, 60_000);
  const statsMs = count("stats-ms", values["stats-ms"], 0, 3_600_000);
  // Checked before connecting: a relay without a key fails at once, not at its first row.
  const herald = sub === "relay" ? target(values, env) : undefined;

  const sql = connectOutbox(from);
  if (sub !== "relay") {
    try {
      if (sub === "init") {
        await initOutbox(sql, table);
        out(`outbox table ${table.name} is ready: insert (id, type, tenant, payload) into it\n`);
      } else {
        show(out, values.json, await outboxStatus(sql, table));
      }
    } finally {
      await sql.end();
    }
    return undefined;
  }
  const log = pino({ level: env.HERALD_LOG_LEVEL ?? "info" });
  const relay = startRelay({
    sql,
    table,
    heraldUrl: (herald as { base: string }).base,
    apiKey: (herald as { key: string }).key,
    batchSize,
    pollMs,
    statsMs,
    log,
  });
  log.info(`Herald started: outbox relay of ${table.name} (${redact(from)})`);
  const stop = relay.stop;
  return {
    ...relay,
    done: relay.done.finally(() => sql.end()),
    async stop() {
      await stop();
      await sql.end();
    },
  };
}

/** The database URL without its password, for the log. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable URL)";
  }
}
