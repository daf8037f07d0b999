// The live stream's one shared poller per process. It runs only while at least one client is
// subscribed (and `lingerMs` after the last leaves, so a reconnecting browser can resume):
// with nobody watching Herald does no extra work. While it runs it reads what changed since
// its cursors every `pollMs` (one horizon query and three indexed range reads, however many
// clients), and sends each change to every client as one Server-Sent Events message (all of
// a poll's messages in one write); every `statsMs` it sends the overview numbers. More than
// `batchLimit` changes of one kind in one poll are not sent: a `lag` message tells clients to
// refetch that kind instead.
//
// Messages that change what a client shows carry an id `<run>-<n>` and are kept in a small
// ring, so a client that reconnects with Last-Event-ID gets what it missed; one that cannot
// resume (another run, or too far behind) is told to refetch by `ready` with resumed: false.
import { randomBytes } from "node:crypto";
import type { Context } from "../context.ts";
import {
  deliveriesSince,
  endpointsSince,
  eventStart,
  eventsSince,
  readHorizon,
} from "./changes.ts";
import { MAX_GAP_RUN, SeqCursor, TimeCursor } from "./cursors.ts";

/** A connected client. `send` writes one frame; `close` ends its response. */
export interface Subscriber {
  send(frame: string): void;
  close(): void;
}

export interface FeedOptions {
  pollMs: number;
  statsMs: number;
  heartbeatMs: number;
  lingerMs: number;
  /** Most changes of one kind sent in one message; more in one poll become a `lag`. */
  batchLimit: number;
  /** The overview numbers sent as `stats`. */
  stats: () => Promise<unknown>;
}

/** Rows read per table per poll: past the batch limit, to tell "too many" from "just enough". */
const READ_LIMIT = 1_000;
/** A transaction open longer than this no longer holds the cursors back (see changes.ts). */
const MAX_HORIZON_LAG_MS = 10_000;
/** Endpoints' updated_at comes from the API process's clock: allow it this much skew. */
const ENDPOINT_CLOCK_SKEW_MS = 5_000;
/** Messages kept for resuming, by count and by size. */
const RING_MESSAGES = 1_000;
const RING_BYTES = 2 * 1024 * 1024;

/** One Server-Sent Events frame. JSON.stringify escapes line breaks, so `data` is one line. */
export function frame(event: string, data: unknown, id?: string): string {
  return `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

interface Run {
  epoch: string;
  n: number;
  ring: { n: number; frame: string }[];
  ringBytes: number;
  timers: NodeJS.Timeout[];
  stopped: boolean;
  stats: string | undefined;
  cursors?: { events: SeqCursor; deliveries: TimeCursor; endpoints: TimeCursor };
}

export class ChangeFeed {
  /** Polls started since this feed was made (tests check that none run while nobody listens). */
  polls = 0;
  private readonly subscribers = new Set<Subscriber>();
  /** Clients that came before the poller had its cursors: welcomed once it has. */
  private readonly waiting = new Set<Subscriber>();
  private run: Run | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Reading changes (or the overview) failed last time: logged once per outage. */
  private failing = false;
  private statsFailing = false;

  constructor(
    private readonly ctx: Context,
    private readonly options: FeedOptions,
  ) {}

  /** Clients subscribed now. */
  get subscriberCount(): number {
    return this.subscribers.size + this.waiting.size;
  }

  /** True while the poller runs. */
  get running(): boolean {
    return this.run !== undefined;
  }

  /**
   * Adds a client. Once the poller has its cursors, the client gets `ready` (and what it
   * missed, if `lastEventId` can be resumed), then every message from then on: a client that
   * loads its lists after `ready` misses nothing. Returns the function that removes it.
   */
  subscribe(sub: Subscriber, lastEventId?: string): () => void {
    if (this.closed) {
      sub.close();
      return () => {};
    }
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    const run = this.run ?? this.start();
    if (run.cursors) this.welcome(run, sub, lastEventId);
    else this.waiting.add(sub);
    return () => this.unsubscribe(sub);
  }

  private welcome(run: Run, sub: Subscriber, lastEventId?: string): void {
    const missed = this.missedSince(run, lastEventId);
    const ready = {
      resumed: missed !== undefined,
      poll_interval_ms: this.options.pollMs,
      stats_interval_ms: this.options.statsMs,
    };
    // A fresh start gets the position to resume from; a resumed client keeps its own until
    // the missed messages (ending at the same position) have arrived.
    sub.send(frame("ready", ready, missed ? undefined : `${run.epoch}-${run.n}`));
    if (missed?.length) sub.send(missed.map((m) => m.frame).join(""));
    if (run.stats) sub.send(run.stats);
    this.subscribers.add(sub);
  }

  /** Ends every client's stream and stops the poller; new clients are turned away. Idempotent. */
  close(): void {
    this.closed = true;
    clearTimeout(this.lingerTimer);
    for (const sub of [...this.waiting, ...this.subscribers]) sub.close();
    this.waiting.clear();
    this.subscribers.clear();
    this.stop();
  }

  private unsubscribe(sub: Subscriber): void {
    const removed = this.subscribers.delete(sub) || this.waiting.delete(sub);
    if (!removed || this.subscriberCount > 0 || !this.run) return;
    if (this.options.lingerMs <= 0) {
      this.stop();
      return;
    }
    clearTimeout(this.lingerTimer);
    this.lingerTimer = setTimeout(() => {
      if (this.subscriberCount === 0) this.stop();
    }, this.options.lingerMs);
    this.lingerTimer.unref();
  }

  /** Messages after `lastEventId` if this run still holds all of them; else undefined. */
  private missedSince(run: Run, lastEventId: string | undefined) {
    const m = lastEventId?.match(/^([0-9a-f]+)-(\d+)$/);
    if (!m || m[1] !== run.epoch) return undefined;
    const n = Number(m[2]);
    const oldest = run.ring[0]?.n ?? run.n + 1;
    if (n > run.n || n < oldest - 1) return undefined;
    return run.ring.filter((r) => r.n > n);
  }

  private start(): Run {
    const run: Run = {
      epoch: randomBytes(4).toString("hex"),
      n: 0,
      ring: [],
      ringBytes: 0,
      timers: [],
      stopped: false,
      stats: undefined,
    };
    this.run = run;
    const { pollMs, statsMs, heartbeatMs } = this.options;
    const loop = (fn: () => Promise<void>, every: number) => {
      const tick = async () => {
        await fn();
        if (!run.stopped) run.timers.push(setTimeout(tick, every).unref());
      };
      void tick();
    };
    loop(() => this.poll(run), pollMs);
    loop(() => this.sendStats(run), statsMs);
    const heartbeat = setInterval(() => this.broadcast(": heartbeat\n\n"), heartbeatMs);
    run.timers.push(heartbeat.unref());
    return run;
  }

  private stop(): void {
    const run = this.run;
    if (!run) return;
    run.stopped = true;
    for (const t of run.timers) clearTimeout(t);
    this.run = undefined;
  }

  private broadcast(text: string): void {
    for (const sub of this.subscribers) sub.send(text);
  }

  /**
   * Sends one message per item, each with the next id, to everyone in one write per client,
   * and keeps them for resuming.
   */
  private publish(run: Run, event: string, items: unknown[]): void {
    if (run.stopped || items.length === 0) return;
    let text = "";
    for (const item of items) {
      run.n++;
      const f = frame(event, item, `${run.epoch}-${run.n}`);
      run.ring.push({ n: run.n, frame: f });
      run.ringBytes += f.length;
      text += f;
    }
    while (run.ring.length > RING_MESSAGES || run.ringBytes > RING_BYTES) {
      run.ringBytes -= run.ring.shift()?.frame.length ?? 0;
    }
    this.broadcast(text);
  }

  private async sendStats(run: Run): Promise<void> {
    try {
      const stats = await this.options.stats();
      if (run.stopped) return;
      run.stats = frame("stats", stats);
      this.broadcast(run.stats);
      this.statsFailing = false;
    } catch (err) {
      if (run.stopped) return;
      if (!this.statsFailing) this.ctx.log.warn({ err }, "stream: computing the overview failed");
      this.statsFailing = true;
    }
  }

  private async poll(run: Run): Promise<void> {
    this.polls++;
    const { sql } = this.ctx;
    try {
      const horizon = await readHorizon(sql, MAX_HORIZON_LAG_MS);
      if (!run.cursors) {
        // Start at "now": what changed before, clients read from the API after `ready`.
        // Events just below the newest may still be committing: watch the missing ones.
        const start = await eventStart(sql, MAX_GAP_RUN);
        run.cursors = {
          events: new SeqCursor(start.max, start.missing, start.readUs),
          deliveries: new TimeCursor(horizon.horizonUs),
          endpoints: new TimeCursor(horizon.horizonUs - BigInt(ENDPOINT_CLOCK_SKEW_MS * 1000)),
        };
        if (run.stopped) return;
        for (const sub of this.waiting) this.welcome(run, sub);
        this.waiting.clear();
        return;
      }
      const c = run.cursors;
      const limit = this.options.batchLimit;
      const lagging: string[] = [];

      const d = c.deliveries.position;
      const e = c.endpoints.position;
      const [events, deliveries, endpoints] = await Promise.all([
        eventsSince(sql, c.events.after, c.events.gapList(), READ_LIMIT),
        deliveriesSince(sql, d.us, d.id, READ_LIMIT),
        endpointsSince(this.ctx, e.us, e.id, READ_LIMIT),
      ]);
      if (run.stopped) return;

      // Each kind is sent, or if its read was cut short by the limit or holds more than a
      // batch, skipped with a `lag`: the cursor goes on from the horizon.
      const send = async <T extends { json: unknown }>(
        kind: string,
        fresh: T[],
        cut: boolean,
        skip: () => unknown,
      ) => {
        if (cut || fresh.length > limit) {
          await skip();
          lagging.push(kind);
        } else {
          this.publish(
            run,
            kind,
            fresh.map((r) => r.json),
          );
        }
      };
      const endpointHorizon = horizon.horizonUs - BigInt(ENDPOINT_CLOCK_SKEW_MS * 1000);
      await send(
        "endpoint",
        c.endpoints.advance(endpoints, endpointHorizon),
        endpoints.length === READ_LIMIT,
        () => c.endpoints.skipTo(endpointHorizon),
      );
      const readPast = events.filter((r) => r.seq > c.events.after).length;
      await send(
        "event",
        c.events.advance(events, horizon.horizonUs),
        readPast === READ_LIMIT,
        async () => {
          const start = await eventStart(sql, MAX_GAP_RUN);
          c.events = new SeqCursor(start.max, start.missing, start.readUs);
        },
      );
      await send(
        "delivery",
        c.deliveries.advance(deliveries, horizon.horizonUs),
        deliveries.length === READ_LIMIT,
        () => c.deliveries.skipTo(horizon.horizonUs),
      );

      if (lagging.length) this.publish(run, "lag", [{ kinds: lagging }]);
      if (this.failing) this.ctx.log.info("stream: reading changes works again");
      this.failing = false;
    } catch (err) {
      if (run.stopped) return; // the database closing under a stopping feed
      // Logged once per outage; the next poll comes at the normal interval (no hot loop).
      if (!this.failing) this.ctx.log.warn({ err }, "stream: reading changes failed");
      this.failing = true;
    }
  }
}
