// OpenTelemetry traces, exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; without it none of this is loaded.
// - Each ingest request is a server span, continuing the producer's `traceparent`.
// - Its context is stored with the events it wrote (events.trace_context), so each attempt,
//   however much later, is a client span in the same trace, linked to the ingest span, and
//   carries its own `traceparent` to the receiver.
// One provider per Herald (tests run several in a process), nothing registered globally:
// contexts are passed explicitly, so no context manager is needed.
import {
  type Context as OtelContext,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import { redactUrl } from "../endpoints/policy.ts";

export interface AttemptSpan {
  /** The `traceparent` header the attempt carries. */
  traceparent: string | undefined;
  end(result: {
    statusCode: number | null;
    kind: string;
    result: string;
    message: string | null;
  }): void;
}

export interface IngestSpan {
  /** The span's context as a `traceparent`, stored with the events it writes. */
  traceparent: string | undefined;
  end(statusCode: number): void;
}

export interface Tracing {
  ingest(route: string, headers: Record<string, string | string[] | undefined>): IngestSpan;
  attempt(o: {
    url: string;
    traceContext: string | null;
    endpointId: string;
    deliveryId: string;
    eventId: string;
    attempt: number;
  }): AttemptSpan;
  /** Exports what is buffered (tests). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Starts tracing if `config.otlpTracesUrl` is set; loads the SDK only then. */
export async function startTracing(config: Config, log: Logger): Promise<Tracing | undefined> {
  if (!config.otlpTracesUrl) return undefined;
  const [
    {
      TracerProvider,
      BatchSpanProcessor,
      AlwaysOnSampler,
      AlwaysOffSampler,
      ParentBasedSampler,
      TraceIdRatioBasedSampler,
    },
    { OTLPTraceExporter },
    { resourceFromAttributes },
    core,
  ] = await Promise.all([
    import("@opentelemetry/sdk-trace"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/core"),
  ]);
  const exporter = new OTLPTraceExporter({ url: config.otlpTracesUrl });
  // The SDK reads no OTEL_* variables itself (sdk-node would): the sampler and the batch
  // processor are built from the config, as the specification names them.
  const { name, ratio } = config.otelSampler;
  const root = name.endsWith("always_off")
    ? new AlwaysOffSampler()
    : name.endsWith("traceidratio")
      ? new TraceIdRatioBasedSampler(ratio)
      : new AlwaysOnSampler();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": config.otelServiceName }),
    sampler: name.startsWith("parentbased_") ? new ParentBasedSampler({ root }) : root,
    spanProcessors: [new BatchSpanProcessor({ exporter, ...config.otelBatch })],
  });
  const tracer: Tracer = provider.getTracer("herald");
  const propagator = new core.W3CTraceContextPropagator();
  const getter = {
    get: (carrier: Record<string, unknown>, key: string) => {
      const v = carrier[key];
      return typeof v === "string" || Array.isArray(v) ? (v as string | string[]) : undefined;
    },
    keys: (carrier: Record<string, unknown>) => Object.keys(carrier),
  };
  const setter = {
    set: (carrier: Record<string, string>, key: string, value: string) => {
      carrier[key] = value;
    },
  };
  const traceparentOf = (span: Span): string | undefined => {
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, setter);
    return carrier.traceparent;
  };
  const extract = (carrier: Record<string, unknown>): OtelContext =>
    propagator.extract(ROOT_CONTEXT, carrier, getter);
  log.info({ url: config.otlpTracesUrl, sampler: name, ratio }, "exporting traces (OpenTelemetry)");

  return {
    ingest(route, headers) {
      const span = tracer.startSpan(
        `POST ${route}`,
        {
          kind: SpanKind.SERVER,
          attributes: { "http.request.method": "POST", "http.route": route },
        },
        extract(headers),
      );
      return {
        traceparent: traceparentOf(span),
        end(statusCode) {
          span.setAttribute("http.response.status_code", statusCode);
          if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        },
      };
    },

    attempt(o) {
      const parent = o.traceContext ? extract({ traceparent: o.traceContext }) : ROOT_CONTEXT;
      const ingest = trace.getSpanContext(parent);
      let host = "";
      try {
        host = new URL(o.url).hostname;
      } catch {}
      const span = tracer.startSpan(
        "POST",
        {
          kind: SpanKind.CLIENT,
          links: ingest ? [{ context: ingest }] : [],
          attributes: {
            "http.request.method": "POST",
            "url.full": redactUrl(o.url),
            "server.address": host,
            "herald.endpoint_id": o.endpointId,
            "herald.delivery_id": o.deliveryId,
            "herald.event_id": o.eventId,
            "herald.attempt": o.attempt,
          },
        },
        parent,
      );
      return {
        traceparent: traceparentOf(span),
        end(r) {
          if (r.statusCode !== null) span.setAttribute("http.response.status_code", r.statusCode);
          span.setAttribute("herald.outcome", r.kind);
          span.setAttribute("herald.result", r.result);
          if (r.kind !== "ok") {
            span.setStatus({ code: SpanStatusCode.ERROR, message: r.message ?? r.kind });
          }
          span.end();
        },
      };
    },

    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
