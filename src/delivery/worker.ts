// The delivery worker's loop. It claims due deliveries in batches sized to its free slots,
// sends each (never holding a transaction across HTTP), decides what each outcome means
// (outcome.ts) and hands it to the completer, which records outcomes in batches. It wakes on
// NOTIFY, on its poll timer, on retries it scheduled itself, and when slots free up while work
// is known to be waiting. It holds no SQL: the queue's statements come in as `WorkerQueue`.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Context } from "../context.ts";
import type { Claimed, EndpointClass, WorkerQueue } from "../queue/index.ts";
import { Completer } from "./completer.ts";
import { decide } from "./outcome.ts";
import { LeaseReaper, reaperConfig } from "./reaper.ts";
import { attemptHeaders } from "./request.ts";
import { Sender } from "./sender.ts";

/** Largest claim in one round trip. */
const MAX_CLAIM = 500;
/**
 * How a worker's capacity is shared (see queue/claim.ts for the classes). Attempts to a dead
 * endpoint each hold their slot until the timeout: without a bound, 200 endpoints that never
 * answered took all 128 slots and healthy deliveries waited behind them (bench: neighbours,
 * ×0.03 of their throughput alone). So failing (suspect) endpoints may hold only a quarter of
 * the slots, and endpoints with no outcome yet get one probe each on sockets of their own
 * (sockets are cheap; slots are what healthy endpoints need), up to PROBES_PER_SLOT per slot:
 * a new healthy endpoint's first attempt does not queue behind hundreds of dead ones.
 */
const SUSPECT_SHARE = 0.25;
const PROBES_PER_SLOT = 8;

export interface WorkerDeps {
  queue: WorkerQueue;
  /** The HTTP client; a Sender on the worker's settings unless given. */
  sender?: Pick<Sender, "send" | "abortAll" | "close">;
}

export class Worker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  private readonly queue: WorkerQueue;
  private readonly sender: Pick<Sender, "send" | "abortAll" | "close">;
  private readonly completer: Completer;
  private readonly reaper: LeaseReaper;
  /** Attempts in flight, of each class their endpoint had when claimed. */
  private readonly running: Record<EndpointClass, number> = { healthy: 0, suspect: 0, probe: 0 };
  private readonly suspectBudget: number;
  private claiming = false;
  /** The last claim loop started: stop() waits for it, so no claim lands after the drain. */
  private claimRun: Promise<void> | undefined;
  private claimAgain = false;
  /** The last claim came back full: more work is probably due. */
  private backlog = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private wakeAt = Number.POSITIVE_INFINITY;
  private wakeTimer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  /** A statement failed for want of the database since the listener was last made. */
  private databaseLost = false;
  private idle: (() => void) | undefined;
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly ctx: Omit<Context, "sql">,
    deps: WorkerDeps,
  ) {
    const { config, log } = ctx;
    this.queue = deps.queue;
    this.suspectBudget = Math.max(1, Math.floor(config.workerConcurrency * SUSPECT_SHARE));
    this.sender = deps.sender ?? new Sender(config, ctx.now);
    this.completer = new Completer({
      write: (batch, breaker) =>
        this.queue.complete({ workerId: this.id, batch, breaker, policy: config }),
      onWritten: async (disabled) => {
        // Recorded outcomes free endpoint slots (in_flight): more may be claimable now.
        this.kick();
        for (const ep of disabled) {
          log.warn({ endpoint: ep.id, reason: ep.disabled_reason }, "endpoint disabled");
        }
      },
      log,
    });
    this.reaper = new LeaseReaper(
      (o) => this.watched(this.queue.reapExpired(o)),
      reaperConfig(config),
      log,
      () => this.kick(),
    );
  }

  async start(): Promise<void> {
    const { config } = this.ctx;
    this.unlisten = await this.queue.listen(() => this.kick());
    this.pollTimer = setInterval(() => this.kick(), config.pollIntervalMs);
    this.pollTimer.unref();
    this.ctx.log.info({ worker: this.id, concurrency: config.workerConcurrency }, "worker started");
    this.reaper.start();
    this.kick();
  }

  /** Asks for a claim soon; coalesces with one in progress. */
  kick(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claimRun = this.claimLoop();
  }

  private async claimLoop(): Promise<void> {
    this.claiming = true;
    const { config, log } = this.ctx;
    try {
      do {
        this.claimAgain = false;
        const free = this.freeSlots();
        const probeLimit = Math.min(
          config.workerConcurrency * PROBES_PER_SLOT - this.running.probe,
          MAX_CLAIM,
        );
        if ((free <= 0 && probeLimit <= 0) || this.stopped) break;
        const limit = Math.min(free, MAX_CLAIM);
        const suspectLimit = Math.min(limit, this.suspectBudget - this.running.suspect);
        // Taken before the claim: the lease starts no earlier, so an attempt that ends by
        // claimedAt + timeout leaves the rest of the lease (leaseMs > timeoutMs) for recording.
        const claimedAt = this.ctx.now();
        const rows = await this.watched(
          this.queue.claim({
            workerId: this.id,
            limit,
            suspectLimit,
            probeLimit,
            leaseMs: config.leaseMs,
            circuitFailures: config.circuitFailures,
          }),
        );
        const got: Record<EndpointClass, number> = { healthy: 0, suspect: 0, probe: 0 };
        for (const row of rows) got[row.class]++;
        this.backlog = got.healthy + got.suspect === limit && limit > 0;
        for (const row of rows) void this.attempt(row, claimedAt + config.timeoutMs);
        // Slots filled, or a budget spent: more may be due, and the next claim steps over the
        // endpoints whose budget is spent.
        const spent =
          (suspectLimit > 0 && got.suspect >= suspectLimit) ||
          (probeLimit > 0 && got.probe >= probeLimit);
        if (this.backlog || spent) this.claimAgain = true;
      } while (this.claimAgain);
    } catch (err) {
      // No hot loop on errors: the poll timer tries again.
      this.backlog = false;
      log.warn({ err }, "claim failed; retrying at the next poll");
    } finally {
      this.claiming = false;
    }
  }

  private async attempt(row: Claimed, deadlineAt: number): Promise<void> {
    const { config, now } = this.ctx;
    this.running[row.class]++;
    try {
      const headers = attemptHeaders(row, Math.floor(now() / 1000));
      const outcome = await this.sender.send(row.url, headers, row.payload, deadlineAt);
      const completion = decide(row, outcome, config, now());
      if (completion.nextAttemptAt !== null) this.scheduleWake(completion.nextAttemptAt);
      this.completer.add(completion);
    } finally {
      this.running[row.class]--;
      if (this.inFlight === 0) this.idle?.();
      if (this.backlog && this.freeSlots() >= Math.max(1, config.workerConcurrency >> 3)) {
        this.kick();
      }
    }
  }

  private get inFlight(): number {
    return this.running.healthy + this.running.suspect + this.running.probe;
  }

  /** Slots for healthy and suspect attempts (probes have sockets of their own). */
  private freeSlots(): number {
    return this.ctx.config.workerConcurrency - this.running.healthy - this.running.suspect;
  }

  /**
   * Notes whether `statement` reached the database. After an outage the listener is made
   * again: postgres.js re-listens once when its connection closes, and if the database is
   * still away then, it never tries again, and wake-ups would be lost until a restart.
   * The reaper's round every few seconds makes sure an outage is noticed without traffic.
   */
  private async watched<T>(statement: Promise<T>): Promise<T> {
    try {
      const result = await statement;
      if (this.databaseLost && !this.stopped) {
        this.databaseLost = false;
        void this.relisten();
      }
      return result;
    } catch (err) {
      this.databaseLost = true;
      throw err;
    }
  }

  private async relisten(): Promise<void> {
    try {
      await this.unlisten?.();
      this.unlisten = undefined;
      const unlisten = await this.queue.listen(() => this.kick());
      // Stopped meanwhile: stop() has ended the listener it knew of; end this one too.
      if (this.stopped) return void (await unlisten());
      this.unlisten = unlisten;
      this.ctx.log.info({ worker: this.id }, "listening for wake-ups again");
      this.kick();
    } catch (err) {
      this.databaseLost = true;
      this.ctx.log.warn({ err }, "listening for wake-ups failed; retrying");
    }
  }

  /** A retry this worker scheduled wakes it on time instead of at the next poll. */
  private scheduleWake(at: number): void {
    if (at >= this.wakeAt || this.stopped) return;
    clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeAt = Number.POSITIVE_INFINITY;
        this.kick();
      },
      Math.max(0, at - this.ctx.now()) + 5,
    );
    this.wakeTimer.unref();
  }

  /**
   * Stops claiming, lets attempts in progress finish for up to the shutdown grace, aborts the
   * rest (they go back to pending), and records every outcome. Idempotent.
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      clearInterval(this.pollTimer);
      this.reaper.stop();
      clearTimeout(this.wakeTimer);
      await this.unlisten?.().catch(() => {});
      // A claim already sent may still bring rows: they are attempted like any other.
      await this.claimRun;
      if (this.inFlight > 0) {
        const idle = new Promise<void>((r) => {
          this.idle = r;
        });
        const grace = new Promise<void>((r) =>
          setTimeout(r, this.ctx.config.shutdownGraceMs).unref(),
        );
        await Promise.race([idle, grace]);
        if (this.inFlight > 0) {
          this.sender.abortAll();
          await idle;
        }
      }
      await this.completer.stop();
      await this.sender.close();
      this.ctx.log.info({ worker: this.id }, "worker stopped");
    })();
    return this.stopped;
  }
}
