// A loopback webhook receiver for delivery tests. It records every request exactly as it
// arrived (path, headers, the body's bytes) and answers each one as the test says, per path:
// the n-th answer can be scripted, or a response held open to be answered later or never.
// (The mock receiver in src/ is the chaos tool for benchmarks: random failures, no scripting.)
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Date.now() once its body had arrived. */
  receivedAt: number;
}

/** Answers the n-th request (1-based) to one path, now or later: `res` may be kept. */
export type Answer = (n: number, res: ServerResponse, req: ReceivedRequest) => void;

export interface Receiver {
  /** http://127.0.0.1:<port>, without a path. */
  url: string;
  /** How requests to `path` are answered from now on. */
  on(path: string, answer: Answer): void;
  /** The requests received so far, in arrival order: all of them, or those to `path`. */
  requests(path?: string): ReceivedRequest[];
  /** The webhook-id header of every request received so far, in arrival order. */
  webhookIds(): string[];
  /** Stops listening and drops every connection, including requests never answered. */
  close(): Promise<void>;
}

const ok: Answer = (_n, res) => res.writeHead(200).end("ok");

/** Starts a receiver; paths without their own answer get `fallback` (200 "ok" by default). */
export async function startReceiver(fallback: Answer = ok): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const counts = new Map<string, number>();
  const answers = new Map<string, Answer>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      const request = {
        path,
        headers: req.headers,
        body: Buffer.concat(chunks),
        receivedAt: Date.now(),
      };
      received.push(request);
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      (answers.get(path) ?? fallback)(n, res, request);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    on(path, answer) {
      answers.set(path, answer);
    },
    requests: (path) => received.filter((r) => path === undefined || r.path === path),
    webhookIds: () => received.map((r) => String(r.headers["webhook-id"])),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
