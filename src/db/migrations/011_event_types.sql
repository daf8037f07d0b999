-- The event-type catalogue: the types a platform sends, described for the people subscribing
-- (the portal's picker). Admin keys write it, every key reads it. The example payload is JSON
-- kept as text, as event payloads are: jsonb refuses some JSON (\u0000 in strings).
create table event_types (
  name text primary key,
  description text not null default '',
  example text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Subscriptions may end in a wildcard: `payment.*` takes every type that starts with
-- `payment.`. The prefixes are kept beside the list, so the fan-out tests them only for
-- endpoints that have one (null for all the others).
create function herald_type_prefixes(types text[]) returns text[]
  language sql immutable parallel safe
  return (select array_agg(left(t, -1)) from unnest(types) t where t like '%*');

alter table endpoints
  add column event_prefixes text[] generated always as (herald_type_prefixes(event_types)) stored;
