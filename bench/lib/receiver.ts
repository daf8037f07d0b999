// The bench's webhook receiver: answers every request 200 at once and keeps what the figures
// need — how many requests arrived, when the first and the latest arrived, and when each
// webhook-id was first seen. One Receiver may listen on several loopback ports (one origin
// each, as the fan-out phase needs); they all share its handler and its record.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

interface Waiter {
  done: () => boolean;
  resolve: (at: number) => void;
}

export class Receiver {
  /** Requests since the last reset, repeats of a webhook-id included. */
  count = 0;
  /** performance.now() of the first and of the latest request since the last reset. */
  firstAt = Number.NaN;
  lastAt = Number.NaN;
  /** Requests being answered now, and the most at once since the last reset. */
  open = 0;
  maxOpen = 0;
  /** performance.now() at which each webhook-id (the event id) was first seen. */
  readonly firstSeen = new Map<string, number>();
  private readonly servers: Server[] = [];
  private waiters: Waiter[] = [];

  private readonly handle = (req: IncomingMessage, res: ServerResponse) => {
    const at = performance.now();
    if (this.count === 0) this.firstAt = at;
    this.count++;
    this.lastAt = at;
    this.open++;
    if (this.open > this.maxOpen) this.maxOpen = this.open;
    res.on("close", () => this.open--);
    const id = req.headers["webhook-id"];
    if (typeof id === "string" && !this.firstSeen.has(id)) this.firstSeen.set(id, at);
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-length": "0" }).end());
    if (this.waiters.length) this.wake(at);
  };

  /** Starts one more listener on a free 127.0.0.1 port; returns its URL. */
  async listen(): Promise<string> {
    const server = createServer(this.handle);
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    this.servers.push(server);
    return `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  }

  /** Forgets everything recorded so far (between rounds, so the id map stays small). */
  reset(): void {
    this.count = 0;
    this.firstAt = Number.NaN;
    this.lastAt = Number.NaN;
    this.maxOpen = this.open;
    this.firstSeen.clear();
  }

  /** Resolves with the arrival time of the `n`-th request since the last reset. */
  requests(n: number, stallMs?: number): Promise<number> {
    return this.until(() => this.count >= n, `${n} requests`, stallMs);
  }

  /** Resolves once `n` distinct webhook-ids have arrived since the last reset. */
  distinctIds(n: number, stallMs?: number): Promise<number> {
    return this.until(() => this.firstSeen.size >= n, `${n} distinct webhook-ids`, stallMs);
  }

  /**
   * Resolves when `done()` holds after a request (or at once); rejects when no request arrived
   * for `stallMs`, so a stuck Herald fails the bench instead of hanging it.
   */
  private until(done: () => boolean, what: string, stallMs = 30_000): Promise<number> {
    if (done()) return Promise.resolve(this.lastAt);
    return new Promise((resolve, reject) => {
      let seen = this.count;
      let quietSince = performance.now();
      const timer = setInterval(() => {
        if (this.count !== seen) {
          seen = this.count;
          quietSince = performance.now();
        } else if (performance.now() - quietSince > stallMs) {
          clearInterval(timer);
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new Error(`waited for ${what}; got ${this.count}, none for ${stallMs} ms`));
        }
      }, 500);
      const waiter: Waiter = {
        done,
        resolve: (at) => {
          clearInterval(timer);
          resolve(at);
        },
      };
      this.waiters.push(waiter);
    });
  }

  private wake(at: number): void {
    const ready = this.waiters.filter((w) => w.done());
    if (!ready.length) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(at);
  }

  async close(): Promise<void> {
    await closeServers(this.servers);
  }
}

/** Stops listening and drops every connection, requests never answered included. */
export async function closeServers(servers: Server[]): Promise<void> {
  await Promise.all(
    servers.map((s) => {
      const closed = new Promise((r) => s.close(r));
      s.closeAllConnections();
      return closed;
    }),
  );
}
