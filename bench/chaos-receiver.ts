// The chaos run's webhook receiver, in the harness's own process: it answers 500 to a share of
// requests, lets another share hang past Herald's timeout, and notes every webhook-id it
// answered 200. It can be taken fully offline (server closed, open sockets destroyed, so
// connects are refused) and brought back on the same port.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ChaosReceiver {
  url: string;
  /** webhook-id → how many times it was answered 200. */
  delivered: Map<string, number>;
  /** Requests that reached the handler, whatever the answer. */
  requests(): number;
  offline(): Promise<void>;
  online(): Promise<void>;
  close(): Promise<void>;
}

export async function startChaosReceiver(opts: {
  failureRate: number;
  timeoutRate: number;
}): Promise<ChaosReceiver> {
  const delivered = new Map<string, number>();
  let requests = 0;
  const make = (): Server => {
    const server = createServer((req, res) => {
      requests++;
      const id = String(req.headers["webhook-id"] ?? "");
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const roll = Math.random();
        if (roll < opts.timeoutRate) return; // hang: Herald's timeout aborts it
        if (roll < opts.timeoutRate + opts.failureRate) {
          res.writeHead(500, { "content-length": "0" }).end();
          return;
        }
        // Counted before the answer is written: a 200 the worker never reads (killed mid-
        // response) still counts as delivered, which is what the endpoint would believe too.
        delivered.set(id, (delivered.get(id) ?? 0) + 1);
        res.writeHead(200, { "content-length": "0" }).end();
      });
    });
    server.keepAliveTimeout = 60_000;
    return server;
  };
  const listen = (server: Server, port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });

  let server = make();
  await listen(server, 0);
  const { port } = server.address() as AddressInfo;
  let up = true;
  const down = async () => {
    if (!up) return;
    up = false;
    const closed = new Promise((r) => server.close(r));
    server.closeAllConnections();
    await closed;
  };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    delivered,
    requests: () => requests,
    offline: down,
    async online() {
      if (up) return;
      server = make();
      await listen(server, port);
      up = true;
    },
    close: down,
  };
}
