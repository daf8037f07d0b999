// Where the live stream has read up to in each table, and which rows past that it has sent
// already. See changes.ts for the horizon these cursors never move beyond.
import type { EventChange, TimedChange } from "./changes.ts";

/** Largest run of missing seqs between two events that is tracked as gaps. */
export const MAX_GAP_RUN = 1_000;
/** Most gaps tracked at once (each is one primary-key lookup per poll until it resolves). */
const MAX_GAPS = 5_000;

/**
 * Events by seq. A seq can be missing because its transaction has not committed yet, rolled
 * back, or lost an ON CONFLICT (a duplicate consumes a seq value too). Missing seqs are looked
 * up again each poll until the horizon passes the moment they were noticed: their transaction,
 * which took its seq before that moment, has then ended, committed or not.
 */
export class SeqCursor {
  private readonly gaps = new Map<bigint, bigint>();

  /** Starts after `max`, watching `missing` seqs below it (noticed at `noticedUs`). */
  constructor(
    private max: bigint,
    missing: bigint[] = [],
    noticedUs = 0n,
  ) {
    for (const seq of missing.slice(-MAX_GAPS)) this.gaps.set(seq, noticedUs);
  }

  get after(): bigint {
    return this.max;
  }

  gapList(): bigint[] {
    return [...this.gaps.keys()];
  }

  /**
   * Takes rows read after `after` and in `gapList()` (seq order) and returns those not sent
   * before. `horizonUs` must have been read before these rows were.
   */
  advance(rows: EventChange[], horizonUs: bigint): EventChange[] {
    const fresh: EventChange[] = [];
    for (const row of rows) {
      if (row.seq <= this.max) {
        if (this.gaps.delete(row.seq)) fresh.push(row);
        continue;
      }
      const missing = row.seq - this.max - 1n;
      if (missing > 0n && missing <= BigInt(MAX_GAP_RUN)) {
        for (let seq = this.max + 1n; seq < row.seq && this.gaps.size < MAX_GAPS; seq++) {
          this.gaps.set(seq, row.readUs);
        }
      }
      this.max = row.seq;
      fresh.push(row);
    }
    for (const [seq, noticedUs] of this.gaps) if (noticedUs < horizonUs) this.gaps.delete(seq);
    return fresh;
  }
}

/**
 * Rows ordered by (changed-at µs, id). The cursor moves to the last row stamped before the
 * horizon; rows past it are remembered (id → stamp) and not sent again when read again.
 */
export class TimeCursor {
  private seen = new Map<string, bigint>();

  constructor(
    private us: bigint,
    private id = "",
  ) {}

  get position(): { us: bigint; id: string } {
    return { us: this.us, id: this.id };
  }

  /**
   * Takes every row after `position` (oldest first; the caller checks the read was not cut
   * short by its limit) and returns those not sent before.
   */
  advance<T>(rows: TimedChange<T>[], horizonUs: bigint): TimedChange<T>[] {
    const fresh = rows.filter((r) => this.seen.get(r.id) !== r.us);
    let settled = -1;
    rows.forEach((r, i) => {
      if (r.us < horizonUs) settled = i;
    });
    const last = rows[settled];
    if (last) {
      this.us = last.us;
      this.id = last.id;
    }
    this.seen = new Map(rows.slice(settled + 1).map((r) => [r.id, r.us]));
    return fresh;
  }

  /**
   * After an overflow (the read was cut short, or too much to send): go on from the horizon,
   * never backwards, forgetting what was seen. Changes stamped since are read next time.
   */
  skipTo(horizonUs: bigint): void {
    if (horizonUs > this.us) {
      this.us = horizonUs;
      this.id = "";
    }
    this.seen.clear();
  }
}
