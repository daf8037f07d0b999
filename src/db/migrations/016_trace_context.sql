-- OpenTelemetry: the W3C traceparent of the ingest request that wrote an event (null when
-- tracing is off), so its attempts join that trace however much later they run.
alter table events add column trace_context text;
