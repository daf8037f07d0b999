// Checks presented API keys without a query per request. A key is looked up by its hash once
// and then answered from memory; expiry is checked in memory on every request. Revocation is
// the one change that must reach every process: each asks the database four times a second which
// keys were revoked in the last few seconds and drops them, and while those polls fail (the
// database unreachable) the cache is not trusted, so a revoked key cannot outlive a missed
// poll. Unknown keys are remembered briefly so a flood of wrong keys costs no query each.
// Last use is recorded in memory and written in one statement every few seconds.
import type { Logger } from "pino";
import type { Sql } from "../db/connect.ts";
import type { Principal, Scope } from "./access.ts";
import { hashKey } from "./api-keys.ts";

const POLL_MS = 250;
/** Revocations younger than this are read by each poll: several polls see each one. */
const REVOKED_WINDOW = "3 seconds";
/** Without a successful poll for this long the cache is not used (lookups go to the database). */
const TRUST_MS = 1_000;
const NEGATIVE_TTL_MS = 2_000;
const FLUSH_MS = 5_000;

interface Cached {
  principal: Principal;
  expiresAt: number | null;
}

export class KeyVerifier {
  /** Valid keys by the hex of their hash, and the same entries by key id. */
  private readonly valid = new Map<string, Cached>();
  private readonly ids = new Map<string, Cached & { hex: string }>();
  /** Lookups waiting for the next batch, and those in flight, by hash. */
  private readonly batch = new Map<
    string,
    { resolve(c: (Cached & { hex: string }) | undefined): void; reject(err: unknown): void }
  >();
  private readonly pending = new Map<string, Promise<(Cached & { hex: string }) | undefined>>();
  private readonly invalid = new Map<string, number>();
  private readonly used = new Map<string, number>();
  /** performance.now() when the last successful poll began. */
  private lastPoll = Number.NEGATIVE_INFINITY;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly sql: Sql,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    const poll = setInterval(() => void this.poll(), POLL_MS);
    const flush = setInterval(() => void this.flush(), FLUSH_MS);
    poll.unref();
    flush.unref();
    this.timers = [poll, flush];
    void this.poll();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.flush();
  }

  /** The key's principal, or undefined for a key that is unknown, revoked or expired. */
  async verify(key: string): Promise<Principal | undefined> {
    const hex = hashKey(key).toString("hex");
    const now = this.now();
    this.distrustIfStale();
    let cached = this.valid.get(hex);
    if (!cached) {
      const missUntil = this.invalid.get(hex);
      if (missUntil !== undefined && missUntil > now) return undefined;
      cached = await this.lookupHash(hex);
      if (!cached) {
        if (this.invalid.size > 10_000) this.invalid.clear();
        this.invalid.set(hex, now + NEGATIVE_TTL_MS);
        return undefined;
      }
      this.invalid.delete(hex);
      this.remember(hex, cached);
    }
    return this.use(cached, now);
  }

  /**
   * The principal of the key with this id if it is still valid: for tokens that stand for a key
   * (stream tokens), so revoking the key ends them too. Cached like `verify`.
   */
  async verifyId(keyId: string): Promise<Principal | undefined> {
    this.distrustIfStale();
    let cached: Cached | undefined = this.ids.get(keyId);
    if (!cached) {
      const [found] = await this.lookup(this.sql`id = ${keyId}`);
      if (!found) return undefined;
      this.remember(found.hex, found);
      cached = found;
    }
    return this.use(cached, this.now());
  }

  /** A key revoked by this process stops working here at once. */
  forget(keyId: string): void {
    const cached = this.ids.get(keyId);
    if (cached) this.drop(cached.hex);
  }

  private use(cached: Cached, now: number): Principal | undefined {
    if (cached.expiresAt !== null && cached.expiresAt <= now) return undefined;
    this.used.set(cached.principal.keyId, now);
    return cached.principal;
  }

  /** Without a recent successful poll a revocation may have been missed: forget everything. */
  private distrustIfStale(): void {
    if (performance.now() - this.lastPoll > TRUST_MS && this.valid.size) {
      this.valid.clear();
      this.ids.clear();
    }
  }

  private remember(hex: string, cached: Cached): void {
    this.valid.set(hex, cached);
    this.ids.set(cached.principal.keyId, { ...cached, hex });
  }

  private drop(hex: string): void {
    const cached = this.valid.get(hex);
    this.valid.delete(hex);
    if (cached) this.ids.delete(cached.principal.keyId);
  }

  /**
   * Keys not in the cache are looked up together: every miss of one turn of the event loop in
   * one query, and a key asked for again while its lookup runs waits for that one. A burst of
   * new keys (a restart, many tenants at once) then costs a few queries, not one each, and the
   * pool stays free for the revocation polls the cache's trust depends on.
   */
  private lookupHash(hex: string): Promise<(Cached & { hex: string }) | undefined> {
    const pending = this.pending.get(hex);
    if (pending) return pending;
    const lookup = new Promise<(Cached & { hex: string }) | undefined>((resolve, reject) => {
      this.batch.set(hex, { resolve, reject });
      if (this.batch.size === 1) setImmediate(() => void this.runBatch());
    });
    this.pending.set(hex, lookup);
    const done = () => this.pending.delete(hex);
    lookup.then(done, done);
    return lookup;
  }

  private async runBatch(): Promise<void> {
    const batch = new Map(this.batch);
    this.batch.clear();
    try {
      const found = await this.lookup(
        this.sql`key_hash in (select decode(h, 'hex') from unnest(${[...batch.keys()]}::text[]) h)`,
      );
      const byHash = new Map(found.map((c) => [c.hex, c]));
      for (const [hex, waiter] of batch) waiter.resolve(byHash.get(hex));
    } catch (err) {
      for (const waiter of batch.values()) waiter.reject(err);
    }
  }

  private async lookup(where: ReturnType<Sql>): Promise<(Cached & { hex: string })[]> {
    const rows = await this.sql<
      {
        id: string;
        key_hash: Buffer;
        scope: Scope;
        tenant: string | null;
        expires_at: Date | null;
      }[]
    >`
      select id, key_hash, scope, tenant, expires_at from api_keys
      where ${where} and revoked_at is null`;
    return rows.map((row) => ({
      hex: row.key_hash.toString("hex"),
      principal: { keyId: row.id, scope: row.scope, tenant: row.tenant },
      expiresAt: row.expires_at?.getTime() ?? null,
    }));
  }

  private async poll(): Promise<void> {
    const started = performance.now();
    try {
      const rows = await this.sql<{ key_hash: Buffer }[]>`
        select key_hash from api_keys
        where revoked_at > clock_timestamp() - ${REVOKED_WINDOW}::interval`;
      for (const r of rows) this.drop(r.key_hash.toString("hex"));
      this.lastPoll = started;
    } catch (err) {
      this.log.debug({ err }, "could not read revoked API keys; the key cache is not used");
    }
  }

  private async flush(): Promise<void> {
    if (!this.used.size) return;
    const ids = [...this.used.keys()];
    const ats = ids.map((id) => new Date(this.used.get(id) as number).toISOString());
    this.used.clear();
    try {
      await this.sql`
        update api_keys k set last_used_at = u.at
        from unnest(${ids}::text[], ${ats}::timestamptz[]) as u(id, at)
        where k.id = u.id and (k.last_used_at is null or k.last_used_at < u.at)`;
    } catch (err) {
      this.log.debug({ err }, "could not record when API keys were last used");
    }
  }
}
