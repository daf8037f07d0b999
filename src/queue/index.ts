// The delivery queue: the only code that inserts, updates or deletes `deliveries` rows (the
// queue: pending and in flight) and `delivery_history` rows (finished ones). Each
// statement is a function named for the change it makes, taking `(db, params)` where `db` is
// a pool or an open transaction.
//
//   enqueueEvents      (new)                 → pending          enqueue.ts, with their events
//   claim              pending, due          → in_flight        claim.ts, leased, attempt counted
//   complete           in_flight             → succeeded | failed (history) | pending (retry)
//                                                               complete.ts
//   unclaim            in_flight, not sent   → pending          unclaim.ts, attempt not counted
//   reapExpired        in_flight, lease gone → pending | failed (history)       reap.ts
//   retry, replay,     succeeded | failed |
//     recover            cancelled (history) → pending          requeue.ts, by hand
//   cancelForEndpoint  pending               → cancelled (history)  cancel.ts, endpoint deleted
//   dropPartitionsBefore, purgeDefault
//                      history, old          → (dropped)        purge.ts, retention
//
// Statements that make deliveries due send one NOTIFY on the wake-up channel (wake.ts).
import type { TransactionSql } from "postgres";
import type { Sql } from "../db/connect.ts";
import { type Claimed, type ClaimOptions, claim } from "./claim.ts";
import { type CompleteParams, complete, type Notice } from "./complete.ts";
import { type ReapOptions, reapExpired } from "./reap.ts";
import { type Unclaimed, unclaim } from "./unclaim.ts";
import { listenForWork } from "./wake.ts";

export { cancelForEndpoint } from "./cancel.ts";
export type { Claimed, ClaimOptions, EndpointClass } from "./claim.ts";
export { claim } from "./claim.ts";
export type { CompleteParams, Completion, Notice } from "./complete.ts";
export { complete } from "./complete.ts";
export { enqueueEvents, type NewEvent, type Target } from "./enqueue.ts";
export {
  dropPartitionsBefore,
  ensurePartitions,
  PARTITIONED,
  type PartitionedTable,
  purgeDefault,
} from "./purge.ts";
export { type ReapOptions, reapExpired } from "./reap.ts";
export { recover, replay, retry } from "./requeue.ts";
export { type Unclaimed, unclaim } from "./unclaim.ts";
export { listenForWork, wakeWorkers } from "./wake.ts";

/** The statements a worker runs (see delivery/worker.ts), bound to its connections. */
export interface WorkerQueue {
  claim(o: ClaimOptions): Promise<Claimed[]>;
  complete(p: CompleteParams): Promise<Notice[]>;
  /** Gives back claimed deliveries never sent; resolves to how many were. */
  unclaim(p: { workerId: string; rows: Unclaimed[] }): Promise<number>;
  reapExpired(o: ReapOptions): Promise<{ id: string }[]>;
  /** Calls `onWake` when deliveries may have become due; resolves to the function that stops it. */
  listen(onWake: () => void): Promise<() => Promise<void>>;
}

/**
 * Binds the worker's statements to `sql` (its LISTEN gets a connection of its own to
 * `databaseUrl`). A batch that may change what operators are told of (a failure or a 410
 * among its outcomes, or a success to an endpoint that was failing: a circuit may close) is
 * completed in a transaction with `announce`, which writes what the change must come with
 * (audit entries, notices: ops/notices.ts): both commit, or neither does. Other batches of
 * successes stay one statement.
 */
export function workerQueue(
  sql: Sql,
  databaseUrl: string,
  announce: (tx: TransactionSql, notices: Notice[]) => Promise<void>,
): WorkerQueue {
  return {
    claim: (o) => claim(sql, o),
    complete: (p) =>
      p.breaker.some((h) => h.gone || h.failures > 0) ||
      p.batch.some((c) => c.failing && c.status === "succeeded")
        ? sql.begin(async (tx) => {
            const notices = await complete(tx, p);
            await announce(tx, notices);
            return notices;
          })
        : complete(sql, p),
    unclaim: async (p) => {
      const [r] = await unclaim(sql, p);
      return r?.returned ?? 0;
    },
    reapExpired: (o) => reapExpired(sql, o),
    listen: (onWake) => listenForWork(databaseUrl, onWake),
  };
}
