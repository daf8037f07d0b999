-- Protecting merchants and Herald: per-endpoint limits, circuit breaker, auto-disable,
-- secret rotation, signature schemes, static headers; and the audit log.

alter table endpoints
  add column max_in_flight int not null default 10 check (max_in_flight between 1 and 1000),
  add column rate_limit_per_second int check (rate_limit_per_second between 1 and 100000),
  add column signature_scheme text not null default 'standard-webhooks'
    check (signature_scheme in ('standard-webhooks', 'hmac-sha256-hex')),
  add column headers jsonb,
  add column previous_secret text,
  add column previous_secret_expires_at timestamptz,
  -- Attempts in flight now, maintained by claims and completions (the reaper recounts):
  -- the claim reads it from the locked endpoint row, so workers never exceed max_in_flight.
  add column in_flight int not null default 0,
  -- Rate limit: claims counted in the current one-second window.
  add column rate_window_start timestamptz,
  add column rate_window_count int not null default 0,
  -- Circuit breaker: open while circuit_open_until is in the future; after it, half-open
  -- (one probe) while consecutive_failures is at or over the threshold.
  add column consecutive_failures int not null default 0,
  add column circuit_open_until timestamptz,
  add column circuit_cooldown_ms int,
  add column failing_since timestamptz,
  add column disabled_at timestamptz,
  add column last_success_at timestamptz,
  add column last_failure_at timestamptz;

-- The endpoints a claim must look at besides healthy idle ones: busy, limited, failing or
-- disabled. Small in practice; the claim's "blocked" set is read through it.
create index endpoints_attention on endpoints (id)
  where in_flight > 0 or not enabled or deleted_at is not null or consecutive_failures > 0
     or circuit_open_until is not null or rate_limit_per_second is not null;

-- Pending deliveries of one endpoint by due time: recover, replay and per-endpoint views.
create index deliveries_endpoint_due on deliveries (endpoint_id, next_attempt_at)
  where status = 'pending';
-- In-flight deliveries per endpoint: recounting endpoints.in_flight.
create index deliveries_endpoint_in_flight on deliveries (endpoint_id) where status = 'in_flight';
-- A delivery re-queued by hand (retry, replay, recover) gets a fresh retry window.
alter table deliveries add column window_started_at timestamptz;

-- Attempts carry their endpoint: statistics per endpoint without a join over deliveries.
alter table attempts add column endpoint_id text;
create index attempts_endpoint_started on attempts (endpoint_id, started_at);
-- Attempts by time: retention.
create index attempts_started on attempts (started_at);

create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor text not null,            -- an API key id, or "system" for automatic actions
  action text not null,           -- endpoint.created, endpoint.disabled, event.replayed, …
  subject text not null,          -- the id acted upon
  details jsonb                   -- never a secret
);
create index audit_log_subject on audit_log (subject, id);
