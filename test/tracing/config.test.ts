// The standard OpenTelemetry variables Herald reads itself (the SDK package it uses reads none):
// the exporter's address, the sampler and the batch span processor; a bad value stops the start
// with the variable named.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, loadConfig } from "../../src/config.ts";

describe("OpenTelemetry settings", () => {
  test("the endpoint, the sampler and the batch processor from OTEL_* variables", () => {
    const none = loadConfig({});
    assert.equal(none.otlpTracesUrl, undefined);
    assert.deepEqual(none.otelSampler, { name: "parentbased_always_on", ratio: 1 });
    assert.deepEqual(none.otelBatch, {});

    const set = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/",
      OTEL_TRACES_SAMPLER: "ParentBased_TraceIdRatio",
      OTEL_TRACES_SAMPLER_ARG: "0.25",
      OTEL_BSP_SCHEDULE_DELAY: "1000",
      OTEL_BSP_MAX_QUEUE_SIZE: "8192",
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "1024",
      OTEL_BSP_EXPORT_TIMEOUT: "10000",
    });
    assert.equal(set.otlpTracesUrl, "http://collector:4318/v1/traces");
    assert.deepEqual(set.otelSampler, { name: "parentbased_traceidratio", ratio: 0.25 });
    assert.deepEqual(set.otelBatch, {
      scheduledDelayMillis: 1000,
      maxQueueSize: 8192,
      maxExportBatchSize: 1024,
      exportTimeoutMillis: 10000,
    });
    // The argument matters only to the ratio samplers.
    assert.deepEqual(
      loadConfig({ OTEL_TRACES_SAMPLER: "always_off", OTEL_TRACES_SAMPLER_ARG: "x" }).otelSampler,
      { name: "always_off", ratio: 1 },
    );
    assert.equal(
      loadConfig({ OTEL_SDK_DISABLED: "true", OTEL_EXPORTER_OTLP_ENDPOINT: "http://c" })
        .otlpTracesUrl,
      undefined,
    );
  });

  test("bad values are refused, naming the variable", () => {
    const refused: [Record<string, string>, RegExp][] = [
      [{ OTEL_TRACES_SAMPLER: "sometimes" }, /OTEL_TRACES_SAMPLER must be one of/],
      [
        { OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "1.5" },
        /OTEL_TRACES_SAMPLER_ARG/,
      ],
      [
        { OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "half" },
        /OTEL_TRACES_SAMPLER_ARG/,
      ],
      [{ OTEL_BSP_MAX_QUEUE_SIZE: "0" }, /OTEL_BSP_MAX_QUEUE_SIZE must be a whole number/],
      [{ OTEL_BSP_SCHEDULE_DELAY: "1.5" }, /OTEL_BSP_SCHEDULE_DELAY/],
      [{ OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "4096" }, /must not exceed OTEL_BSP_MAX_QUEUE_SIZE/],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" }, /OTEL_EXPORTER_OTLP_ENDPOINT must be/],
    ];
    for (const [env, message] of refused) {
      assert.throws(
        () => loadConfig(env),
        (err: Error) => err instanceof ConfigError && message.test(err.message),
        JSON.stringify(env),
      );
    }
  });
});
