// The delivery worker. It claims due deliveries in batches sized to its free slots, sends
// each (never holding a transaction across HTTP), and records outcomes in batches.
// It wakes on NOTIFY from ingestion, on its poll timer, on retries it scheduled itself, and
// when slots free up while work is known to be waiting.

import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { SYSTEM } from "../audit/log.ts";
import type { Context } from "../context.ts";
import { announceDisabled } from "../endpoints/disabled.ts";
import { DELIVERIES_CHANNEL } from "../events/ingest.ts";
import { nextAttemptAt } from "./backoff.ts";
import { type Claimed, claimDeliveries } from "./claim.ts";
import { type Completion, completeDeliveries } from "./complete.ts";
import { summarize } from "./health.ts";
import { reapExpiredLeases } from "./reap.ts";
import { attemptHeaders } from "./request.ts";
import { type Outcome, Sender } from "./sender.ts";

/** Largest claim in one round trip. */
const MAX_CLAIM = 500;
/** Largest completion batch in one statement. */
const MAX_COMPLETE = 2000;

export class Worker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  private readonly sender: Sender;
  private inFlight = 0;
  private claiming = false;
  /** The last claim loop started: stop() waits for it, so no claim lands after the drain. */
  private claimRun: Promise<void> | undefined;
  private claimAgain = false;
  /** The last claim came back full: more work is probably due. */
  private backlog = false;
  private timers: NodeJS.Timeout[] = [];
  private wakeAt = Number.POSITIVE_INFINITY;
  private wakeTimer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private completions: Completion[] = [];
  private flushing: Promise<void> | undefined;
  private idle: (() => void) | undefined;
  private stopped: Promise<void> | undefined;

  constructor(private readonly ctx: Context) {
    this.sender = new Sender(ctx.config);
  }

  async start(): Promise<void> {
    const { config, sql } = this.ctx;
    const listener = await sql.listen(DELIVERIES_CHANNEL, () => this.kick());
    this.unlisten = listener.unlisten;
    this.timers.push(setInterval(() => this.kick(), config.pollIntervalMs));
    const reapEvery = Math.min(config.leaseMs / 2, 5_000);
    this.timers.push(setInterval(() => void this.reap(), reapEvery));
    for (const t of this.timers) t.unref();
    this.ctx.log.info({ worker: this.id, concurrency: config.workerConcurrency }, "worker started");
    void this.reap();
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
    const { config, sql, log } = this.ctx;
    try {
      do {
        this.claimAgain = false;
        const free = config.workerConcurrency - this.inFlight;
        if (free <= 0 || this.stopped) break;
        const limit = Math.min(free, MAX_CLAIM);
        const rows = await claimDeliveries(sql, {
          workerId: this.id,
          limit,
          leaseMs: config.leaseMs,
          circuitFailures: config.circuitFailures,
        });
        this.backlog = rows.length === limit;
        for (const row of rows) void this.attempt(row);
        if (this.backlog) this.claimAgain = true;
      } while (this.claimAgain);
    } catch (err) {
      // No hot loop on errors: the poll timer tries again.
      this.backlog = false;
      log.warn({ err }, "claim failed; retrying at the next poll");
    } finally {
      this.claiming = false;
    }
  }

  private async attempt(row: Claimed): Promise<void> {
    this.inFlight++;
    try {
      const headers = attemptHeaders(row, Math.floor(Date.now() / 1000));
      const outcome = await this.sender.send(row.url, headers, row.payload);
      this.record(row, outcome);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.idle?.();
      const free = this.ctx.config.workerConcurrency - this.inFlight;
      if (this.backlog && free >= Math.max(1, this.ctx.config.workerConcurrency >> 3)) this.kick();
    }
  }

  private record(row: Claimed, o: Outcome): void {
    let status: Completion["status"];
    let next: number | null = null;
    if (o.kind === "ok") status = "succeeded";
    else if (o.kind === "ssrf_blocked") {
      status = "failed"; // a policy refusal: retrying cannot help
    } else if (o.kind === "aborted" || o.statusCode === 410) {
      // Shutdown cut it short, or 410 Gone disables the endpoint: the delivery waits, due now.
      status = "pending";
      next = Date.now();
    } else {
      next = nextAttemptAt(
        this.ctx.config,
        row.attempts,
        row.created_at.getTime(),
        Date.now(),
        o.retryAfterMs,
      );
      status = next === null ? "failed" : "pending";
    }
    if (next !== null) this.scheduleWake(next);
    this.completions.push({
      id: row.id,
      endpointId: row.endpoint_id,
      attempt: row.attempts,
      status,
      nextAttemptAt: next,
      startedAt: o.startedAt,
      durationMs: o.durationMs,
      statusCode: o.statusCode,
      errorKind: o.kind === "ok" ? null : o.kind,
      errorMessage: o.message,
      responseBody: o.body,
    });
    if (!this.flushing) this.flushing = this.flush();
  }

  /** Writes completions in batches; while one write runs, the next batch accumulates. */
  private async flush(): Promise<void> {
    let failures = 0;
    try {
      while (this.completions.length) {
        const batch = this.completions.splice(0, MAX_COMPLETE);
        try {
          const health = summarize(
            batch.map((c) => ({
              endpointId: c.endpointId,
              ok: c.status === "succeeded",
              gone: c.statusCode === 410,
              neutral: c.errorKind === "aborted",
              at: c.startedAt + c.durationMs,
            })),
          );
          const disabled = await completeDeliveries(
            this.ctx.sql,
            this.id,
            batch,
            health,
            this.ctx.config,
          );
          failures = 0;
          // Recorded outcomes free endpoint slots (in_flight): more may be claimable now.
          this.kick();
          for (const ep of disabled) {
            this.ctx.log.warn({ endpoint: ep.id, reason: ep.disabled_reason }, "endpoint disabled");
            await announceDisabled(this.ctx, ep, SYSTEM).catch((err) =>
              this.ctx.log.error({ err, endpoint: ep.id }, "announcing a disabled endpoint failed"),
            );
          }
        } catch (err) {
          // Keep the outcomes and retry; if this process dies first, the leases expire and
          // the deliveries are sent again (at-least-once).
          this.completions.unshift(...batch);
          failures++;
          this.ctx.log.warn(
            { err, pending: this.completions.length },
            "recording attempts failed; retrying",
          );
          if (this.stopped && failures > 5) return;
          await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** failures)));
        }
      }
    } finally {
      this.flushing = undefined;
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
      Math.max(0, at - Date.now()) + 5,
    );
    this.wakeTimer.unref();
  }

  private async reap(): Promise<void> {
    const { config, sql, log } = this.ctx;
    try {
      const rows = await reapExpiredLeases(sql, config.maxAttempts ?? null, config.retryWindowMs);
      if (rows.length) {
        log.warn({ count: rows.length }, "reclaimed deliveries whose lease expired");
        this.kick();
      }
    } catch (err) {
      log.warn({ err }, "lease reaping failed");
    }
  }

  /**
   * Stops claiming, lets attempts in progress finish for up to the shutdown grace, aborts the
   * rest (they go back to pending), and records every outcome. Idempotent.
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      for (const t of this.timers) clearInterval(t);
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
      while (this.flushing) await this.flushing;
      await this.sender.close();
      this.ctx.log.info({ worker: this.id }, "worker stopped");
    })();
    return this.stopped;
  }
}
