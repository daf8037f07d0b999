// Retention: attempts, finished deliveries and events older than HERALD_RETENTION_DAYS are
// deleted by a background job that every Herald process runs. One round at a time across all
// processes: a round holds a session advisory lock, and a process that cannot take it skips
// that round. A round deletes in small batches, each one short statement (its own
// transaction) with a pause after it, so no lock is held long, autovacuum keeps up, and
// workers and the API never wait behind the purge.
//
// What goes, in this order:
// 1. attempts started before the cutoff: their daily partitions are dropped whole (migration
//    009), and those that landed in the default partition are deleted in batches;
// 2. deliveries succeeded, failed or cancelled that finished before the cutoff: the same, in
//    delivery_history (pending and in-flight ones are not there; queue/purge.ts);
// 3. events created before the cutoff that have no delivery left. An event with a pending or
//    in-flight delivery, or a finished one still within retention, stays.
// Then the coming week's partitions are made, if any is missing.
import type { Context } from "../context.ts";
import { EVENTS_LOCK, RETENTION_ROUND_LOCK } from "../db/locks.ts";
import {
  dropPartitionsBefore,
  ensurePartitions,
  type PartitionedTable,
  purgeDefault,
} from "../queue/index.ts";

export interface PurgeOptions {
  /** Rows per delete statement. */
  batchSize?: number;
  /** Pause between batches in ms: lets replicas, autovacuum and the hot path breathe. */
  pauseMs?: number;
  /** Checked between batches: a stopping process ends its round early. */
  signal?: AbortSignal;
}

export interface PurgeResult {
  attempts: number;
  deliveries: number;
  events: number;
}

const DAY = 86_400_000;

/**
 * Runs one retention round as of `now` (ms since the epoch or a Date; injectable for tests).
 * Returns what was deleted, or null when another process holds the round lock.
 */
export async function purgeOnce(
  ctx: Context,
  now: number | Date = ctx.now(),
  opts: PurgeOptions = {},
): Promise<PurgeResult | null> {
  const { sql } = ctx;
  const batchSize = opts.batchSize ?? 1_000;
  const pauseMs = opts.pauseMs ?? 50;
  const cutoff = new Date(new Date(now).getTime() - ctx.config.retentionDays * DAY);
  const conn = await sql.reserve();
  try {
    const [lock] = await conn<{ locked: boolean }[]>`
      select pg_try_advisory_lock(${RETENTION_ROUND_LOCK}) as locked`;
    if (!lock?.locked) return null;
    try {
      const result: PurgeResult = { attempts: 0, deliveries: 0, events: 0 };
      const stopped = () => opts.signal?.aborted === true;
      const pause = () => (pauseMs > 0 ? new Promise((r) => setTimeout(r, pauseMs)) : undefined);

      const purgeTable = async (table: PartitionedTable) => {
        let n = stopped() ? 0 : await dropPartitionsBefore(sql, table, cutoff);
        for (let batch = batchSize; batch === batchSize && !stopped(); ) {
          batch = await purgeDefault(conn, { table, cutoff, limit: batchSize });
          n += batch;
          await pause();
        }
        return n;
      };
      result.attempts = await purgeTable("attempts");
      result.deliveries = await purgeTable("delivery_history");

      // Events are walked in seq order from the oldest, a batch of seqs at a time, until a
      // whole batch was created after the cutoff (creation time follows seq but for overlapping
      // transactions: one more batch covers those). Old events that must stay are stepped over.
      let after = "0";
      while (!stopped()) {
        const [row] = await sql.begin(async (tx) => {
          await tx`select pg_advisory_xact_lock(${EVENTS_LOCK})`;
          return tx<{ deleted: number; last: string | null; reached: boolean }[]>`
            with scanned as (
              select seq, created_at from events where seq > ${after} order by seq limit ${batchSize}
            ),
            gone as (
              delete from events e using scanned s
              where e.seq = s.seq and s.created_at < ${cutoff}
                and not exists (select 1 from all_deliveries d where d.event_seq = e.seq)
              returning e.seq
            )
            select (select count(*)::int from gone) as deleted,
                   (select max(seq)::text from scanned) as last,
                   coalesce((select bool_and(created_at >= ${cutoff}) from scanned), true) as reached`;
        });
        result.events += row?.deleted ?? 0;
        if (!row || row.reached || row.last === null) break;
        after = row.last;
        await pause();
      }
      if (!stopped()) await ensurePartitions(sql);
      return result;
    } finally {
      await conn`select pg_advisory_unlock(${RETENTION_ROUND_LOCK})`;
    }
  } finally {
    conn.release();
  }
}

/**
 * The background job: a round every `intervalMs` (the first after a random part of it, so
 * processes started together do not all try at once). Errors are logged and the next round
 * tries again. stop() ends a running round at its next batch and waits for it.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly abort = new AbortController();

  private readonly intervalMs: number;

  constructor(
    private readonly ctx: Context,
    intervalMs: number,
  ) {
    // A round is a few statements even when there is nothing to purge: never back to back.
    // Node's timers hold at most 2^31 - 1 ms (longer ones fire at once).
    this.intervalMs = Math.min(Math.max(intervalMs, 10), 2 ** 31 - 1);
  }

  start(): void {
    this.schedule(Math.random() * this.intervalMs);
  }

  private schedule(delayMs: number): void {
    if (this.abort.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() => {
        this.running = undefined;
        this.schedule(this.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    const { log } = this.ctx;
    try {
      const result = await purgeOnce(this.ctx, this.ctx.now(), { signal: this.abort.signal });
      if (result && result.attempts + result.deliveries + result.events > 0) {
        log.info({ ...result, retentionDays: this.ctx.config.retentionDays }, "retention purge");
      }
    } catch (err) {
      log.warn({ err }, "retention purge failed; the next round tries again");
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    clearTimeout(this.timer);
    await this.running;
  }
}
