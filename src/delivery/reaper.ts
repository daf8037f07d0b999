// The lease reaper: every worker periodically returns deliveries whose lease expired (their
// worker died or stalled mid-attempt) to the queue (queue/reap.ts). Safe in every worker at
// once: the statement skips rows another reaper has locked.
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { ReapOptions } from "../queue/reap.ts";

export interface ReaperConfig extends ReapOptions {
  /** How often a round runs, in ms. */
  intervalMs: number;
}

/** Named defaults: half the lease (at most 5 s) between rounds, 1,000 rows per statement. */
export function reaperConfig(config: Config): ReaperConfig {
  return {
    intervalMs: Math.min(config.leaseMs / 2, 5_000),
    limit: 1_000,
    maxAttempts: config.maxAttempts ?? null,
    windowMs: config.retryWindowMs,
  };
}

export class LeaseReaper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly reap: (o: ReapOptions) => Promise<unknown[]>,
    private readonly config: ReaperConfig,
    private readonly log: Logger,
    /** Called after a round that returned deliveries to the queue. */
    private readonly onReaped: () => void,
  ) {}

  /** Runs a round now, then every `intervalMs`. */
  start(): void {
    this.timer = setInterval(() => void this.round(), this.config.intervalMs);
    this.timer.unref();
    void this.round();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async round(): Promise<void> {
    const { intervalMs: _, ...options } = this.config;
    try {
      const rows = await this.reap(options);
      if (rows.length) {
        this.log.warn({ count: rows.length }, "reclaimed deliveries whose lease expired");
        this.onReaped();
      }
    } catch (err) {
      this.log.warn({ err }, "lease reaping failed");
    }
  }
}
