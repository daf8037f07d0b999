// The completer: records finished attempts in batches. While one batch is written the next
// accumulates, so under load each statement carries many outcomes and at low load an outcome
// is written at once.
//
// Two ways a write fails, handled apart:
// - The database is unreachable: the batch is kept and written again with backoff; if the
//   process dies first, the leases expire and the deliveries are sent again (at-least-once).
// - The database refuses the batch (a value it cannot store): the batch is halved until the
//   rows it refuses stand alone, every other row is recorded, and a refused row is recorded
//   without its texts as `unrecordable`. One bad row never holds up the others, which would
//   otherwise wait for ever while their leases ran out and they were sent again.
import type { Logger } from "pino";
import { isUnavailable } from "../db/connect.ts";
import { type BreakerInput, breakerInput, breakerOutcome } from "../endpoints/breaker.ts";
import type { Completion, Notice } from "../queue/complete.ts";

export interface CompleterOptions {
  /** Writes one batch (queue/complete.ts, bound to this worker); returns the endpoints it disabled. */
  write: (batch: Completion[], breaker: BreakerInput[]) => Promise<Notice[]>;
  /** After each batch is written: its outcomes freed endpoint slots. */
  onWritten: (disabled: Notice[]) => Promise<void>;
  log: Logger;
  /** Most outcomes in one statement. */
  maxBatch?: number;
  /** Failed writes in a row after which a stopping completer gives up (the leases take over). */
  maxFailuresWhenStopping?: number;
}

const DEFAULTS = { maxBatch: 2_000, maxFailuresWhenStopping: 5 };

/** The outcome as it can still be recorded when the database refused it as it was. */
function unrecordable(c: Completion, err: unknown): Completion {
  const code = String((err as { code?: unknown })?.code ?? "unknown").replace(/[^\w]/g, "");
  return {
    ...c,
    errorKind: "unrecordable",
    errorMessage: `the database refused this attempt's record (${code}); it was ${c.errorKind ?? "ok"}`,
    responseBody: null,
  };
}

export class Completer {
  private readonly o: Required<CompleterOptions>;
  private queue: Completion[] = [];
  private flushing: Promise<void> | undefined;
  private stopping = false;

  constructor(options: CompleterOptions) {
    this.o = { ...DEFAULTS, ...options };
  }

  add(c: Completion): void {
    this.queue.push(c);
    this.flushing ??= this.flush();
  }

  /** Resolves once everything added is written, or given up on after repeated failures. */
  async stop(): Promise<void> {
    this.stopping = true;
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    let failures = 0;
    try {
      while (this.queue.length) {
        const { left, err } = await this.write(this.queue.splice(0, this.o.maxBatch));
        if (!left.length) {
          failures = 0;
          continue;
        }
        this.queue.unshift(...left);
        failures++;
        this.o.log.warn({ err, pending: this.queue.length }, "recording attempts failed; retrying");
        if (this.stopping && failures > this.o.maxFailuresWhenStopping) return;
        await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** failures)));
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /**
   * Writes `batch`, splitting what the database refuses. Returns what is left unwritten
   * because the database could not be reached (with that error); nothing is written twice.
   */
  private async write(batch: Completion[]): Promise<{ left: Completion[]; err?: unknown }> {
    const parts = [batch];
    for (let part = parts.pop(); part; part = parts.pop()) {
      try {
        const disabled = await this.o.write(part, breakerInput(part.map(breakerOutcome)));
        await this.o
          .onWritten(disabled)
          .catch((err) => this.o.log.error({ err }, "after recording attempts"));
      } catch (err) {
        if (isUnavailable(err)) return { left: [part, ...parts].flat(), err };
        if (part.length > 1) {
          const half = part.length >> 1;
          parts.push(part.slice(half), part.slice(0, half));
          continue;
        }
        const [c] = part as [Completion];
        if (c.errorKind === "unrecordable") {
          this.o.log.error({ err, delivery: c.id }, "an attempt could not be recorded at all");
          continue;
        }
        this.o.log.error({ err, delivery: c.id }, "the database refused an attempt's record");
        parts.push([unrecordable(c, err)]);
      }
    }
    return { left: [] };
  }
}
