// The delivery worker's loop. It claims due deliveries in batches sized to its free slots,
// sends each (never holding a transaction across HTTP), decides what each outcome means
// (outcome.ts) and hands it to the completer, which records outcomes in batches. It wakes on
// NOTIFY, on its poll timer, on retries it scheduled itself, and when slots free up while work
// is known to be waiting. It holds no SQL: the queue's statements come in as `WorkerQueue`.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Context } from "../context.ts";
import type { Claimed, EndpointClass, Unclaimed, WorkerQueue } from "../queue/index.ts";
import { UnknownKeyError } from "../secrets/box.ts";
import type { AttemptSpan } from "../tracing/tracing.ts";
import { Completer } from "./completer.ts";
import { decide } from "./outcome.ts";
import { LeaseReaper, reaperConfig } from "./reaper.ts";
import { attemptRequest } from "./request.ts";
import { type Outcome, Sender } from "./sender.ts";

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
/**
 * Deliveries a worker may hold waiting for their endpoint's slot, per slot of its own: what
 * lets one busy endpoint's slots be reused the moment an attempt ends (queue/claim.ts,
 * HOLD_FACTOR) without taking the slots other endpoints need.
 */
const HELD_PER_SLOT = 2;

export interface WorkerDeps {
  queue: WorkerQueue;
  /** The HTTP client; a Sender on the worker's settings unless given. */
  sender?: Pick<Sender, "send" | "abortAll" | "close">;
}

/**
 * An endpoint's attempts in this worker: those sending now, and those waiting for one of its
 * max_in_flight slots (the worker may hold more of a healthy endpoint's deliveries than that:
 * HOLD_FACTOR in queue/claim.ts). A waiter is resolved true to send, false to give its
 * delivery back unsent.
 */
interface Gate {
  sending: number;
  waiting: ((send: boolean) => void)[];
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
  private readonly gates = new Map<string, Gate>();
  /** Deliveries waiting for a slot of their endpoint (they hold none of the worker's). */
  private waiting = 0;
  /** Deliveries to give back unsent, written together on the next tick. */
  private unclaiming: Unclaimed[] = [];
  /** The writes of those, one after another; stop() waits for the last. */
  private unclaimed: Promise<void> = Promise.resolve();
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
      write: async (batch, breaker) => {
        const disabled = await this.queue.complete({
          workerId: this.id,
          batch,
          breaker,
          policy: config,
        });
        ctx.metrics.recorded(batch.length);
        return disabled;
      },
      onWritten: async (notices) => {
        // Recorded outcomes free endpoint slots (in_flight): more may be claimable now.
        this.kick();
        for (const n of notices) {
          if (n.type === "endpoint.disabled") {
            log.warn({ endpoint: n.endpoint_id, reason: n.reason }, "endpoint disabled");
          }
        }
      },
      log,
    });
    ctx.metrics.watchSlots(() => ({
      busy: this.running.healthy + this.running.suspect,
      free: Math.max(0, this.freeSlots()),
      probes: this.running.probe,
      waiting: this.waiting,
    }));
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
        const holdLimit = Math.max(0, config.workerConcurrency * HELD_PER_SLOT - this.waiting);
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
            holdLimit,
            leaseMs: config.leaseMs,
            circuitFailures: config.circuitFailures,
          }),
        );
        this.ctx.metrics.claimed(rows.length);
        const got: Record<EndpointClass, number> = { healthy: 0, suspect: 0, probe: 0 };
        for (const row of rows) got[row.class]++;
        this.backlog = got.healthy + got.suspect === limit && limit > 0;
        for (const row of rows) void this.attempt(row, claimedAt);
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

  private async attempt(row: Claimed, claimedAt: number): Promise<void> {
    const { config, now } = this.ctx;
    // Counted at once (the claim loop sizes its next claim on it); waiting for its endpoint's
    // slot holds no slot of the worker's.
    let turn: "now" | "waited" | false = "now";
    if (this.takeSlot(row)) this.running[row.class]++;
    else {
      this.waiting++;
      turn = await this.slotFreed(row);
      this.waiting--;
      if (turn) this.running[row.class]++;
    }
    // The attempt must end early enough to record its outcome within the lease. One sent at
    // once ends by claimedAt + timeout, as the lease was sized for; one that waited for its
    // endpoint's slot gets a full timeout if that ends within the lease's last timeoutMs, or
    // goes back unsent (and passes the slot on).
    let deadlineAt = claimedAt + config.timeoutMs;
    if (turn === "waited") deadlineAt = now() + config.timeoutMs;
    const latestEnd = Math.max(
      claimedAt + config.timeoutMs,
      claimedAt + config.leaseMs - config.timeoutMs,
    );
    if (!turn || deadlineAt > latestEnd) {
      if (turn) {
        this.running[row.class]--;
        this.release(row.endpoint_id, false);
      }
      this.giveBack(row);
      return this.settled();
    }
    let failed = false;
    try {
      const prepared = this.requestFor(row);
      let outcome: Outcome;
      let span: AttemptSpan | undefined;
      if ("outcome" in prepared) outcome = prepared.outcome;
      else {
        span = this.traced(row, prepared.headers);
        outcome = await this.sender.send(row.url, prepared.headers, prepared.body, deadlineAt);
      }
      const completion = decide(row, outcome, config, now());
      const result = completion.status === "pending" ? "retrying" : completion.status;
      span?.end({
        statusCode: outcome.statusCode,
        kind: outcome.kind,
        result,
        message: outcome.message,
      });
      failed = completion.status !== "succeeded";
      this.ctx.metrics.attempted(
        row.endpoint_id,
        row.attempts,
        row.enqueued_at,
        outcome.kind,
        result,
        outcome.startedAt,
        outcome.durationMs,
      );
      if (completion.nextAttemptAt !== null) this.scheduleWake(completion.nextAttemptAt);
      this.completer.add(completion);
    } finally {
      this.release(row.endpoint_id, failed);
      this.running[row.class]--;
      this.settled();
    }
  }

  /** After an attempt ended or was given back: wakes stop() when idle, claims when slots freed. */
  private settled(): void {
    if (this.inFlight === 0) this.idle?.();
    if (this.backlog && this.freeSlots() >= Math.max(1, this.ctx.config.workerConcurrency >> 3)) {
      this.kick();
    }
  }

  /** Takes a slot of `row`'s endpoint if one is free. */
  private takeSlot(row: Claimed): boolean {
    let gate = this.gates.get(row.endpoint_id);
    if (!gate) {
      gate = { sending: 0, waiting: [] };
      this.gates.set(row.endpoint_id, gate);
    }
    if (gate.sending >= row.max_in_flight) return false;
    gate.sending++;
    return true;
  }

  /** Resolves "waited" once a slot of `row`'s endpoint is passed to it, false to give it back. */
  private slotFreed(row: Claimed): Promise<"waited" | false> {
    if (this.stopped) return Promise.resolve(false);
    const { waiting } = this.gates.get(row.endpoint_id) as Gate;
    return new Promise((resolve) => waiting.push((send) => resolve(send && "waited")));
  }

  /**
   * An attempt to `endpointId` ended: its slot goes to the next waiter, or, when it failed,
   * every waiter gives its delivery back (the endpoint is failing; claims will treat it so).
   * Once stopping, nothing new is sent: the waiters give theirs back too (a slot freed by an
   * attempt that finished during the shutdown grace was passed on and sent, under load).
   */
  private release(endpointId: string, failed: boolean): void {
    const gate = this.gates.get(endpointId) as Gate;
    gate.sending--;
    if (failed || this.stopped) {
      for (const w of gate.waiting.splice(0)) w(false);
    } else {
      const next = gate.waiting.shift();
      if (next) {
        gate.sending++;
        next(true);
      }
    }
    if (gate.sending === 0 && gate.waiting.length === 0) this.gates.delete(endpointId);
  }

  /**
   * Queues `row` to be returned unsent. If that write fails, the lease runs out and the reaper
   * returns it (counting the attempt, as for a worker that died).
   */
  /**
   * The attempt's body and headers, or, when the endpoint's secret cannot be opened (sealed with a key
   * this process lacks), the outcome of an attempt that sent nothing: recorded and retried like
   * any failed attempt, so the operator sees why in the delivery, and nothing spins.
   */
  private requestFor(
    row: Claimed,
  ): { headers: Record<string, string>; body: string } | { outcome: Outcome } {
    const now = this.ctx.now();
    try {
      return attemptRequest(row, Math.floor(now / 1000), this.ctx.secrets);
    } catch (err) {
      if (!(err instanceof UnknownKeyError)) throw err;
      this.ctx.log.error({ err, endpoint: row.endpoint_id }, "cannot open the endpoint's secret");
      const outcome: Outcome = {
        kind: "secret_unavailable",
        startedAt: now,
        durationMs: 0,
        statusCode: null,
        body: null,
        message: err.message,
      };
      return { outcome };
    }
  }

  /** The attempt's span when tracing; its traceparent replaces a static one of any case. */
  private traced(row: Claimed, headers: Record<string, string>): AttemptSpan | undefined {
    const span = this.ctx.tracing?.attempt({
      url: row.url,
      traceContext: row.trace_context,
      endpointId: row.endpoint_id,
      deliveryId: row.id,
      eventId: row.event_id,
      attempt: row.attempts,
    });
    if (span?.traceparent) {
      for (const name of Object.keys(headers)) {
        if (name.toLowerCase() === "traceparent") delete headers[name];
      }
      headers.traceparent = span.traceparent;
    }
    return span;
  }

  private giveBack(row: Claimed): void {
    this.unclaiming.push({ id: row.id, attempt: row.attempts });
    if (this.unclaiming.length > 1) return; // a write is scheduled already
    this.unclaimed = this.unclaimed.then(async () => {
      await new Promise((r) => setImmediate(r));
      const rows = this.unclaiming.splice(0);
      try {
        await this.watched(this.queue.unclaim({ workerId: this.id, rows }));
        this.kick();
      } catch (err) {
        this.ctx.log.warn({ err, deliveries: rows.length }, "giving back unsent deliveries failed");
      }
    });
  }

  /** Attempts sending, and deliveries waiting for their endpoint's slot. */
  private get inFlight(): number {
    return this.running.healthy + this.running.suspect + this.running.probe + this.waiting;
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
      // A claim already sent may still bring rows: they are attempted like any other. Those
      // waiting for their endpoint's slot are given back unsent.
      await this.claimRun;
      for (const gate of this.gates.values()) for (const w of gate.waiting.splice(0)) w(false);
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
      await this.unclaimed;
      await this.completer.stop();
      await this.sender.close();
      this.ctx.log.info({ worker: this.id }, "worker stopped");
    })();
    return this.stopped;
  }
}
