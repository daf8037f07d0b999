// A local OTLP/HTTP trace receiver for `npm run bench -- --otlp`: Herald processes export to
// it as they would to a collector, so the cost of tracing is measured with spans really
// serialized and sent. It answers every export at once and counts the spans (JSON or protobuf
// bodies: protobuf is counted by requests only).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export class OtlpSink {
  private server: Server | undefined;
  requests = 0;
  spans = 0;
  bytes = 0;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        this.requests++;
        this.bytes += body.length;
        if ((req.headers["content-type"] ?? "").includes("json")) {
          try {
            const doc = JSON.parse(body.toString()) as {
              resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[];
            };
            for (const r of doc.resourceSpans ?? []) {
              for (const s of r.scopeSpans ?? []) this.spans += s.spans?.length ?? 0;
            }
          } catch {
            // Counted as a request; the spans are unknown.
          }
        }
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
