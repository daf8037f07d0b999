// HERALD_METRICS_PORT: GET /metrics without a key on a port of its own (for a Prometheus that
// scrapes a private network, where the API's key would be one more secret to hand out). Under
// --processes the supervisor serves it, with every process's figures together (prom-client's
// cluster aggregation: counters and histograms summed, the database's gauges taken once).
import cluster from "node:cluster";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { AggregatorRegistry } from "prom-client";
import type { Metrics } from "./metrics.ts";

type Read = () => Promise<{ text: string; contentType: string }>;

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `read()` at GET /metrics on host:port; anything else is 404. */
export async function serveMetrics(
  host: string,
  port: number,
  read: Read,
  log: Logger,
): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found: GET /metrics\n");
      return;
    }
    read().then(
      ({ text, contentType }) => {
        res.writeHead(200, { "content-type": contentType });
        res.end(req.method === "HEAD" ? undefined : text);
      },
      (err) => {
        log.warn({ err }, "metrics: collecting failed");
        res.writeHead(503, { "content-type": "text/plain" }).end("Metrics unavailable\n");
      },
    );
  });
  // A scraper is a machine that asks quickly; a client that trickles is dropped.
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  server.maxConnections = 64;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/metrics`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A process supervised by --processes answers its supervisor's requests for its figures; it
 * serves no metrics port of its own.
 */
export function answerSupervisor(metrics: Metrics): void {
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([metrics.registry]);
}

/** The supervisor's metrics port: all its processes' figures, aggregated. */
export function serveClusterMetrics(host: string, port: number, log: Logger) {
  const aggregate = new AggregatorRegistry();
  return serveMetrics(
    host,
    port,
    async () => ({ text: await aggregate.clusterMetrics(), contentType: aggregate.contentType }),
    log,
  );
}

export const isSupervised = () => cluster.isWorker;
