// The outbox relay: a platform whose database is not Herald's writes its events into an outbox
// table in its own transactions (`herald outbox init` makes it); the relay moves the committed
// rows into Herald in order, through POST /v1/events/batch, and deletes each row only after
// Herald has committed it. Killed in between, it sends those rows again: their ids are fixed in
// the rows, so Herald answers "deduplicated" and stores nothing twice. Rows Herald refuses (an
// invalid type, a payload too large, an id already used for another event) keep their place
// with the reason in `error`, are logged, and are stepped over.
import type { Logger } from "pino";
import postgres from "postgres";
import { ConfigError } from "../config.ts";

export type OutboxSql = postgres.Sql;

/** `herald_outbox` or `schema.table`, as PostgreSQL would take it unquoted. */
const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/;

export interface OutboxTable {
  /** As given: also the NOTIFY channel. */
  name: string;
  /** Quoted for SQL. */
  sql: string;
  /** The trigger function's quoted name, next to the table. */
  notifyFunction: string;
}

export function outboxTable(name: string): OutboxTable {
  if (!TABLE_NAME.test(name)) {
    throw new ConfigError(
      `--table must be a lowercase table name, optionally schema-qualified (got "${name}")`,
    );
  }
  const parts = name.split(".");
  const quote = (p: string) => `"${p}"`;
  const last = parts.pop() as string;
  const prefix = parts.map((p) => `${quote(p)}.`).join("");
  return {
    name,
    sql: `${prefix}${quote(last)}`,
    notifyFunction: `${prefix}${quote(`${last}_notify`.slice(0, 63))}`,
  };
}

/** A connection to the platform's database (not Herald's: no session settings of Herald's). */
export function connectOutbox(url: string): OutboxSql {
  return postgres(url, {
    // The relay's statements, and the session holding its lock (LISTEN has one of its own).
    max: 3,
    connect_timeout: 5,
    idle_timeout: 60,
    onnotice: () => {},
    connection: { application_name: "herald-outbox" },
  });
}

/**
 * Creates the outbox table, its index and the trigger that wakes the relay when a transaction
 * that wrote to it commits. Idempotent. The platform inserts `(id, type, tenant, payload)`;
 * `id` defaults to a random one, but a platform that may write the same event twice (its own
 * retries) sets it, and Herald keeps one.
 */
export async function initOutbox(sql: OutboxSql, table: OutboxTable): Promise<void> {
  const channel = table.name.replace(/'/g, "''");
  await sql.begin(async (tx) => {
    await tx.unsafe(`
      create table if not exists ${table.sql} (
        seq bigint generated always as identity primary key,
        id text not null default 'evt_' || replace(gen_random_uuid()::text, '-', ''),
        type text not null,
        tenant text,
        payload jsonb not null,
        created_at timestamptz not null default now(),
        -- Why Herald refused the row; set by the relay, which then steps over it.
        error text
      )`);
    await tx.unsafe(`
      create or replace function ${table.notifyFunction}() returns trigger
      language plpgsql as $$
      begin
        perform pg_notify('${channel}', '');
        return null;
      end $$`);
    await tx.unsafe(`drop trigger if exists herald_outbox_notify on ${table.sql}`);
    await tx.unsafe(`
      create trigger herald_outbox_notify after insert on ${table.sql}
      for each statement execute function ${table.notifyFunction}()`);
  });
}

export interface OutboxStatus {
  /** Rows waiting to be relayed. */
  pending: number;
  /** Rows Herald refused (their `error` says why); the relay steps over them. */
  rejected: number;
  /** Age of the oldest waiting row: how far the relay is behind. 0 when none waits. */
  lag_ms: number;
}

export async function outboxStatus(sql: OutboxSql, table: OutboxTable): Promise<OutboxStatus> {
  const [row] = await sql.unsafe<{ pending: number; rejected: number; lag_ms: number }[]>(`
    select count(*) filter (where error is null)::int as pending,
           count(*) filter (where error is not null)::int as rejected,
           coalesce(extract(epoch from now() - min(created_at) filter (where error is null))
                    * 1000, 0)::float8 as lag_ms
    from ${table.sql}`);
  return {
    pending: row?.pending ?? 0,
    rejected: row?.rejected ?? 0,
    lag_ms: Math.round(row?.lag_ms ?? 0),
  };
}

export interface RelayOptions {
  sql: OutboxSql;
  table: OutboxTable;
  /** Herald's base URL and a key that may send the rows' events (admin, or the rows' tenant). */
  heraldUrl: string;
  apiKey: string;
  /** Most rows a batch (Herald's HERALD_MAX_BATCH_EVENTS caps it too; a 413 halves it). */
  batchSize: number;
  /** How often to look for rows when no notification came (a lost one, a reconnect). */
  pollMs: number;
  /** How often to log the rate, the pending rows and the lag; 0 never. */
  statsMs: number;
  log: Logger;
}

interface Row {
  seq: string;
  id: string;
  type: string;
  tenant: string | null;
  payload: unknown;
}

type ItemResult = { status: string; error?: { code: string; message: string } };

/** A batch the relay cannot send as it is: Herald answered 413 or 400 for the whole of it. */
class WholeBatchRefused extends Error {}

/** Herald refused the relay itself (a bad key, a tenant key for another tenant's rows): fatal. */
export class RelayRefused extends Error {}

export interface Relay {
  /** Rows relayed (accepted or deduplicated) since the start. */
  relayed(): number;
  /** Finishes the batch in hand (its rows deleted once Herald has them), then stops. */
  stop(): Promise<void>;
  /** Settles when the relay ends: stopped, or refused by Herald (rejects with RelayRefused). */
  done: Promise<void>;
}

/**
 * Starts the relay. It relays once it holds the table's advisory lock: a second relay started
 * on the same table waits (a standby) rather than racing the first and breaking the order.
 */
export function startRelay(o: RelayOptions): Relay {
  const { sql, table, log } = o;
  let stopped = false;
  let relayed = 0;
  let batchSize = o.batchSize;
  let wake: (() => void) | undefined;
  const sleepers = new Set<() => void>();
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });
  const wakeAll = () => {
    wake?.();
    for (const s of [...sleepers]) s();
  };

  const post = async (rows: Row[]): Promise<ItemResult[]> => {
    const body = JSON.stringify({
      events: rows.map((r) => ({ id: r.id, type: r.type, tenant: r.tenant, payload: r.payload })),
    });
    let backoff = 250;
    for (;;) {
      let res: Response | undefined;
      let failure: string;
      try {
        res = await fetch(`${o.heraldUrl}/v1/events/batch`, {
          method: "POST",
          headers: { authorization: `Bearer ${o.apiKey}`, "content-type": "application/json" },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        if (res.status === 200) return (JSON.parse(text) as { data: ItemResult[] }).data;
        if (res.status === 401 || res.status === 403) {
          throw new RelayRefused(`Herald refused the relay's key: ${res.status} ${text}`);
        }
        if (res.status === 413 || res.status === 400) throw new WholeBatchRefused(text);
        failure = `${res.status} ${text.slice(0, 200)}`;
        const retryAfter = Number(res.headers.get("retry-after"));
        if (res.status === 429 && retryAfter > 0) backoff = retryAfter * 1000;
      } catch (err) {
        if (err instanceof RelayRefused || err instanceof WholeBatchRefused) throw err;
        failure = String((err as Error).cause ?? err);
      }
      // Herald away, starting or overloaded: the same rows again (their ids make it safe).
      log.warn(
        { failure, rows: rows.length },
        `Herald did not take the batch; again in ${backoff} ms`,
      );
      await nap(backoff);
      backoff = Math.min(backoff * 2, 10_000);
      if (stopped) throw new Stopping();
    }
  };

  /** Sends rows; answers each row's result, splitting a batch Herald refuses as a whole. */
  const send = async (rows: Row[]): Promise<ItemResult[]> => {
    try {
      return await post(rows);
    } catch (err) {
      if (!(err instanceof WholeBatchRefused)) throw err;
      if (rows.length === 1) {
        return [{ status: "invalid", error: { code: "refused", message: err.message } }];
      }
      batchSize = Math.max(1, Math.floor(rows.length / 2));
      const half = Math.ceil(rows.length / 2);
      return [...(await send(rows.slice(0, half))), ...(await send(rows.slice(half)))];
    }
  };

  const settle = async (rows: Row[], results: ItemResult[]) => {
    const done: string[] = [];
    const refusedSeqs: string[] = [];
    const reasons: string[] = [];
    rows.forEach((row, i) => {
      const r = results[i];
      if (r?.status === "accepted" || r?.status === "deduplicated") {
        done.push(row.seq);
        return;
      }
      const reason = r?.error ? `${r.error.code}: ${r.error.message}` : `no result (${r?.status})`;
      log.warn({ seq: row.seq, id: row.id, reason }, "Herald refused an outbox row; stepped over");
      refusedSeqs.push(row.seq);
      reasons.push(reason);
    });
    await sql.begin(async (tx) => {
      if (done.length) {
        await tx.unsafe(`delete from ${table.sql} where seq = any($1::bigint[])`, [done]);
      }
      if (refusedSeqs.length) {
        await tx.unsafe(
          `update ${table.sql} t set error = x.reason
           from unnest($1::bigint[], $2::text[]) as x(seq, reason) where t.seq = x.seq`,
          [refusedSeqs, reasons],
        );
      }
    });
    relayed += done.length;
  };

  /** Relays until stopped; returns early (false) when the lock was lost with its session. */
  const loop = async (holdsLock: () => Promise<boolean>): Promise<void> => {
    let backoff = 250;
    while (!stopped) {
      try {
        const woken = new Promise<void>((r) => {
          wake = r;
        });
        if (!(await holdsLock())) throw new LockLost();
        const rows = await sql.unsafe<Row[]>(
          // seq arrives as a string (postgres.js reads bigint so); cast to text here, "order
          // by seq" would have sorted the text.
          `select seq, id, type, tenant, payload from ${table.sql}
           where error is null order by seq limit $1`,
          [batchSize],
        );
        if (rows.length > 0) {
          await settle(rows, await send(rows));
          backoff = 250;
          // Grown back slowly after a 413 split it.
          if (batchSize < o.batchSize) batchSize = Math.min(o.batchSize, batchSize * 2);
          continue;
        }
        await Promise.race([woken, nap(o.pollMs)]);
      } catch (err) {
        if (err instanceof Stopping) return;
        if (err instanceof RelayRefused || err instanceof LockLost) throw err;
        // The platform's database away, or Herald's answer unreadable: rows stay; again soon.
        log.warn({ err }, `outbox relay step failed; again in ${backoff} ms`);
        await nap(backoff);
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  };

  let lastRelayed = 0;
  let lastAt = Date.now();
  const stats =
    o.statsMs > 0
      ? setInterval(() => {
          outboxStatus(sql, table).then(
            (s) => {
              const now = Date.now();
              const rate = ((relayed - lastRelayed) * 1000) / Math.max(1, now - lastAt);
              lastRelayed = relayed;
              lastAt = now;
              log.info(
                { ...s, relayed, rows_per_second: Math.round(rate) },
                `outbox ${table.name}: ${Math.round(rate)} rows/s, ${s.pending} pending, lag ${s.lag_ms} ms, ${s.rejected} rejected`,
              );
            },
            (err) => log.warn({ err }, "outbox status failed"),
          );
        }, o.statsMs)
      : undefined;
  stats?.unref();

  const lockKey = `herald outbox ${table.name}`;
  /** One session holding the table's lock (let go with it when the relay is killed). */
  const holdLockAndRelay = async () => {
    const lockConn = await sql.reserve();
    const tryLock = async () => {
      // Re-entrant: asked before every batch, it answers false once the session that held it
      // is gone (the connection lost and made anew) and another relay has taken over.
      const [row] = await lockConn<{ ok: boolean }[]>`
        select pg_try_advisory_lock(hashtext(${lockKey})) as ok`;
      return row?.ok === true;
    };
    let listener: { unlisten(): Promise<void> } | undefined;
    try {
      let waitingLogged = false;
      while (!(await tryLock())) {
        if (!waitingLogged) log.info(`another relay holds ${table.name}; waiting to take over`);
        waitingLogged = true;
        await nap(1000);
        if (stopped) return;
      }
      listener = await sql.listen(table.name, () => wake?.());
      log.info(`relaying ${table.name} to ${o.heraldUrl}`);
      await loop(tryLock);
    } finally {
      await listener?.unlisten().catch(() => {});
      await lockConn`select pg_advisory_unlock_all()`.catch(() => {});
      lockConn.release();
    }
  };
  const run = async () => {
    let backoff = 250;
    try {
      while (!stopped) {
        try {
          await holdLockAndRelay();
        } catch (err) {
          if (err instanceof RelayRefused) throw err;
          log.warn({ err }, `outbox relay lost its database or its lock; again in ${backoff} ms`);
          await nap(backoff);
          backoff = Math.min(backoff * 2, 10_000);
        }
      }
    } finally {
      if (stats) clearInterval(stats);
    }
  };
  const done = run();
  done.catch(() => {});
  return {
    relayed: () => relayed,
    done,
    async stop() {
      stopped = true;
      wakeAll();
      await done.catch(() => {});
    },
  };
}

class Stopping extends Error {}
class LockLost extends Error {}
