// The completer: records finished attempts in batches. While one batch is written the next
// accumulates, so under load each statement carries many outcomes and at low load an outcome
// is written at once. A batch that fails to write is kept and retried with backoff; if the
// process dies first, the leases expire and the deliveries are sent again (at-least-once).
import type { Logger } from "pino";
import { type BreakerInput, breakerInput, breakerOutcome } from "../endpoints/breaker.ts";
import type { Completion, DisabledEndpoint } from "../queue/complete.ts";

export interface CompleterOptions {
  /** Writes one batch (queue/complete.ts, bound to this worker); returns the endpoints it disabled. */
  write: (batch: Completion[], breaker: BreakerInput[]) => Promise<DisabledEndpoint[]>;
  /** After each batch is written: its outcomes freed endpoint slots. */
  onWritten: (disabled: DisabledEndpoint[]) => Promise<void>;
  log: Logger;
  /** Most outcomes in one statement. */
  maxBatch?: number;
  /** Failed writes in a row after which a stopping completer gives up (the leases take over). */
  maxFailuresWhenStopping?: number;
}

const DEFAULTS = { maxBatch: 2_000, maxFailuresWhenStopping: 5 };

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

  /** Outcomes waiting to be written. */
  get pending(): number {
    return this.queue.length;
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
        const batch = this.queue.splice(0, this.o.maxBatch);
        let disabled: DisabledEndpoint[];
        try {
          disabled = await this.o.write(batch, breakerInput(batch.map(breakerOutcome)));
        } catch (err) {
          this.queue.unshift(...batch);
          failures++;
          this.o.log.warn(
            { err, pending: this.queue.length },
            "recording attempts failed; retrying",
          );
          if (this.stopping && failures > this.o.maxFailuresWhenStopping) return;
          await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** failures)));
          continue;
        }
        failures = 0;
        await this.o
          .onWritten(disabled)
          .catch((err) => this.o.log.error({ err }, "after recording attempts"));
      }
    } finally {
      this.flushing = undefined;
    }
  }
}
