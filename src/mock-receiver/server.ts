// The chaos receiver: a webhook endpoint that fails, hangs and lags on purpose, verifies
// Standard Webhooks signatures when given the secret, and counts what it saw (GET /stats).
// Built on node:http directly: it must outpace Herald in benchmarks.

import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sign } from "../signing/standard-webhooks.ts";

export interface MockReceiverOptions {
  port: number;
  host?: string;
  /** Share of requests answered 500 (0–1). */
  failureRate?: number;
  /** Share of requests never answered (held until the client gives up). */
  timeoutRate?: number;
  /** Delay before answering, in ms. */
  latencyMs?: number;
  /** Endpoint secret (`whsec_…`): when set, requests with a bad signature get 401. */
  secret?: string;
  random?: () => number;
}

export interface ReceiverStats {
  requests: number;
  unique_ids: number;
  duplicates: number;
  bad_signatures: number;
  answered: Record<string, number>;
}

export interface MockReceiver {
  url: string;
  stats(): ReceiverStats;
  /** Ids answered 2xx at least once. */
  delivered(): Set<string>;
  close(): Promise<void>;
}

function validSignature(secret: string, req: IncomingMessage, body: Buffer): boolean {
  const id = req.headers["webhook-id"];
  const ts = Number(req.headers["webhook-timestamp"]);
  const header = req.headers["webhook-signature"];
  if (typeof id !== "string" || !Number.isInteger(ts) || typeof header !== "string") return false;
  const expected = Buffer.from(sign(secret, id, ts, body));
  return header.split(" ").some((s) => {
    const got = Buffer.from(s);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

export async function startMockReceiver(opts: MockReceiverOptions): Promise<MockReceiver> {
  const random = opts.random ?? Math.random;
  const seen = new Set<string>();
  const ok = new Set<string>();
  const stats: ReceiverStats = {
    requests: 0,
    unique_ids: 0,
    duplicates: 0,
    bad_signatures: 0,
    answered: {},
  };
  const hanging = new Set<ServerResponse>();

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    stats.answered[status] = (stats.answered[status] ?? 0) + 1;
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };

  const server: Server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/stats") {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ ...stats, unique_ids: seen.size }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const id = req.headers["webhook-id"];
      stats.requests++;
      if (typeof id === "string") {
        if (ok.has(id)) stats.duplicates++;
        seen.add(id);
      }
      if (opts.secret && !validSignature(opts.secret, req, body)) {
        stats.bad_signatures++;
        answer(res, 401, { error: "bad signature" });
        return;
      }
      const roll = random();
      if (roll < (opts.timeoutRate ?? 0)) {
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return;
      }
      const fail = roll < (opts.timeoutRate ?? 0) + (opts.failureRate ?? 0);
      const respond = () => {
        if (fail) return answer(res, 500, { error: "chaos" });
        if (typeof id === "string") ok.add(id);
        answer(res, 200, { ok: true });
      };
      if (opts.latencyMs) setTimeout(respond, opts.latencyMs);
      else respond();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ ...stats, unique_ids: seen.size }),
    delivered: () => ok,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
