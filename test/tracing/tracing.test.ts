// OpenTelemetry against a local OTLP/HTTP receiver: an ingest request's span continues the
// producer's traceparent; each attempt is a client span in that trace, a child of and linked to
// the ingest span, and carries its own traceparent to the receiver. Without an OTLP endpoint
// nothing is traced and no traceparent is sent.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  callApi,
  type MigratedDatabase,
  migratedDatabase,
  startTestHerald,
  type TestHerald,
  waitFor,
} from "../helpers.ts";
import { type Receiver, startReceiver } from "../support/receiver.ts";

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
  links?: { traceId: string; spanId: string }[];
}

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT = "00f067aa0ba902b7";

describe("OpenTelemetry traces", () => {
  let db: MigratedDatabase;
  let receiver: Receiver;
  let otlp: Receiver;
  let herald: TestHerald;

  before(async () => {
    db = await migratedDatabase();
    receiver = await startReceiver();
    otlp = await startReceiver((_n, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end("{}"),
    );
    herald = await startTestHerald(db.url, { otlpTracesUrl: `${otlp.url}/v1/traces` });
  });
  after(async () => {
    await herald?.stop();
    await receiver?.close();
    await otlp?.close();
    await db?.drop();
  });

  /** Every span exported so far, with the resource's service.name. */
  const exported = (): (OtlpSpan & { service: unknown })[] =>
    otlp.requests("/v1/traces").flatMap((r) => {
      const body = JSON.parse(r.body.toString());
      return body.resourceSpans.flatMap(
        (rs: {
          resource: { attributes: OtlpSpan["attributes"] };
          scopeSpans: { spans: OtlpSpan[] }[];
        }) => {
          const service = rs.resource.attributes.find((a) => a.key === "service.name")?.value;
          return rs.scopeSpans.flatMap((s) => s.spans.map((span) => ({ ...span, service })));
        },
      );
    });
  const attr = (span: OtlpSpan, key: string) => {
    const v = span.attributes.find((a) => a.key === key)?.value;
    return v === undefined ? undefined : Object.values(v)[0];
  };

  test("the producer's trace goes on through the ingest span to each attempt and the receiver", async () => {
    receiver.on("/traced", (n, res) => res.writeHead(n === 1 ? 503 : 200).end());
    const ep = await herald.api("POST", "/v1/endpoints", { url: `${receiver.url}/traced` });
    const sent = await callApi(
      herald.url as string,
      "POST",
      "/v1/events",
      { type: "t", payload: { a: 1 }, endpoint_ids: [ep.body.id] },
      { traceparent: `00-${TRACE}-${PARENT}-01` },
    );
    assert.equal(sent.status, 202);
    // The first attempt is refused (503), the retry succeeds: two attempt spans.
    await waitFor(() => receiver.requests("/traced").length === 2, 15_000, "two attempts");
    await waitFor(async () => {
      const [d] = await db.sql`select status from all_deliveries where endpoint_id = ${ep.body.id}`;
      return d?.status === "succeeded";
    }, 10_000);
    await herald.ctx.tracing?.flush();

    const spans = exported();
    const ingest = spans.find((s) => s.name === "POST /v1/events") as OtlpSpan & {
      service: unknown;
    };
    assert.ok(ingest, JSON.stringify(spans.map((s) => s.name)));
    assert.equal(ingest.traceId, TRACE);
    assert.equal(ingest.parentSpanId, PARENT);
    assert.equal(ingest.kind, 2, "a server span");
    assert.equal(Number(attr(ingest, "http.response.status_code")), 202);
    assert.deepEqual(ingest.service, { stringValue: "herald" }, "service.name");

    const attempts = spans.filter((s) => s.kind === 3);
    assert.equal(attempts.length, 2);
    for (const [i, span] of attempts.entries()) {
      assert.equal(span.traceId, TRACE);
      assert.equal(span.parentSpanId, ingest.spanId);
      assert.deepEqual(
        span.links?.map((l) => [l.traceId, l.spanId]),
        [[TRACE, ingest.spanId]],
      );
      assert.equal(attr(span, "herald.endpoint_id"), ep.body.id);
      assert.equal(attr(span, "url.full"), `${receiver.url}/traced`);
      // What the receiver got names this very span.
      const got = receiver.requests("/traced")[i]?.headers.traceparent;
      assert.equal(got, `00-${TRACE}-${span.spanId}-01`);
    }
    const codes = attempts.map((s) => Number(attr(s, "http.response.status_code"))).sort();
    assert.deepEqual(codes, [200, 503]);
    assert.deepEqual(attempts.map((s) => attr(s, "herald.result")).sort(), [
      "retrying",
      "succeeded",
    ]);
  });

  test("a request without traceparent starts a trace of its own", async () => {
    const before = exported().length;
    const res = await herald.api("POST", "/v1/events/batch", {
      events: [{ type: "none", payload: {} }],
    });
    assert.equal(res.status, 200);
    await herald.ctx.tracing?.flush();
    const span = exported()
      .slice(before)
      .find((s) => s.name === "POST /v1/events/batch") as OtlpSpan;
    assert.ok(span);
    assert.equal(span.parentSpanId ?? "", "");
    assert.notEqual(span.traceId, TRACE);
  });

  test("sampled at a ratio of 0: a producer's sampled trace is still recorded, others are not", async () => {
    const other = await migratedDatabase();
    const sink = await startReceiver((_n, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end("{}"),
    );
    // A collector that wants a token: the exporter reads OTEL_EXPORTER_OTLP_HEADERS itself.
    process.env.OTEL_EXPORTER_OTLP_HEADERS = "authorization=Bearer collector-token";
    const sampled = await startTestHerald(other.url, {
      otlpTracesUrl: `${sink.url}/v1/traces`,
      otelSampler: { name: "parentbased_traceidratio", ratio: 0 },
    }).finally(() => {
      delete process.env.OTEL_EXPORTER_OTLP_HEADERS;
    });
    try {
      const ep = await sampled.api("POST", "/v1/endpoints", { url: `${receiver.url}/ratio` });
      const send = (headers: Record<string, string>) =>
        callApi(
          sampled.url as string,
          "POST",
          "/v1/events",
          { type: "t", payload: {}, endpoint_ids: [ep.body.id] },
          headers,
        );
      assert.equal((await send({ traceparent: `00-${TRACE}-${PARENT}-01` })).status, 202);
      assert.equal((await send({})).status, 202);
      await waitFor(() => receiver.requests("/ratio").length === 2, 10_000, "both deliveries");
      await sampled.ctx.tracing?.flush();
      const spans = sink
        .requests("/v1/traces")
        .flatMap((r) =>
          JSON.parse(r.body.toString()).resourceSpans.flatMap(
            (rs: { scopeSpans: { spans: OtlpSpan[] }[] }) => rs.scopeSpans.flatMap((x) => x.spans),
          ),
        ) as OtlpSpan[];
      for (const r of sink.requests("/v1/traces")) {
        assert.equal(r.headers.authorization, "Bearer collector-token");
      }
      // The producer's trace: its ingest span and its attempt; the other trace: nothing.
      assert.deepEqual(spans.map((x) => [x.traceId, x.kind]).sort(), [
        [TRACE, 2],
        [TRACE, 3],
      ]);
      // Both receivers are told the trace, the unrecorded one with the sampled flag off.
      const parents = receiver.requests("/ratio").map((r) => String(r.headers.traceparent));
      const recorded = parents.filter((t) => t.startsWith(`00-${TRACE}-`));
      assert.equal(recorded.length, 1);
      assert.match(recorded[0] as string, /-01$/);
      const unrecorded = parents.find((t) => !t.startsWith(`00-${TRACE}-`)) as string;
      assert.match(unrecorded, /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    } finally {
      await sampled.stop();
      await sink.close();
      await other.drop();
    }
  });

  test("without an OTLP endpoint: no tracing, no traceparent sent", async () => {
    const other = await migratedDatabase();
    const plain = await startTestHerald(other.url, {});
    try {
      assert.equal(plain.ctx.tracing, undefined);
      const ep = await plain.api("POST", "/v1/endpoints", { url: `${receiver.url}/plain` });
      await callApi(
        plain.url as string,
        "POST",
        "/v1/events",
        { type: "t", payload: {}, endpoint_ids: [ep.body.id] },
        { traceparent: `00-${TRACE}-${PARENT}-01` },
      );
      await waitFor(() => receiver.requests("/plain").length === 1, 10_000, "the delivery");
      assert.equal(receiver.requests("/plain")[0]?.headers.traceparent, undefined);
      const [row] = await other.sql`select trace_context from events`;
      assert.equal(row?.trace_context, null);
    } finally {
      await plain.stop();
      await other.drop();
    }
  });
});
