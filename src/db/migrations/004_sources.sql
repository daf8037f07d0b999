-- Inbound sources: providers (Stripe, GitHub, Standard Webhooks senders, plain HMAC) that send
-- webhooks to POST /in/:source_id. Herald verifies, stores and relays them as events.

create table sources (
  id text primary key,
  name text not null,
  provider text not null
    check (provider in ('stripe', 'github', 'standard-webhooks', 'hmac', 'none')),
  secret text,                            -- null only for provider 'none'; never returned after creation
  tenant text,
  endpoint_ids text[],                    -- null: fan out by tenant and event type
  options jsonb not null default '{}',
  -- Requests refused for a bad or missing signature (nothing of them is stored).
  rejected bigint not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);

-- The body's media type as the provider sent it; null means application/json (API events).
alter table events add column content_type text;

-- Deliveries of a known id with another body (refused with 409): counted on the stored event
-- so its record shows the conflict; the audit log has the details of each.
alter table events add column conflicts int not null default 0;
