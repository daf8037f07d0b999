-- Enqueue inside the platform's own transaction, when Herald and the platform share a database:
--
--   begin;
--   insert into payments … ;
--   select herald.send_event('evt_pay_1', 'payment.succeeded', 'merchant-42', '{"amount":4200}');
--   commit;
--
-- The event and its deliveries commit or roll back with the caller's business write (no dual
-- write); workers are woken when it commits (a NOTIFY is delivered only then). The same rules as
-- POST /v1/events: the payload is stored as the exact JSON text given (validated as JSON), the
-- same id and payload again is a duplicate (0 deliveries made, nothing stored), the same id with
-- another payload is an error (SQLSTATE 23505) that aborts the caller's transaction. Returns the
-- deliveries made. SECURITY DEFINER: the caller needs no privileges on Herald's tables, only this
-- function (granted to PUBLIC, as functions are by default; revoke and grant to taste).
create schema if not exists herald;
grant usage on schema herald to public;

create function herald.send_event(event_id text, event_type text, tenant text, payload text)
returns integer
language plpgsql
security definer
set search_path = public, pg_temp
as $$
#variable_conflict use_column
declare
  v_seq bigint;
  v_sha text;
  v_stored text;
  v_made integer;
begin
  if event_id is null or length(event_id) not between 1 and 255 then
    raise exception 'herald.send_event: event_id must be 1 to 255 characters' using errcode = '22023';
  end if;
  if event_type is null or length(event_type) not between 1 and 255 then
    raise exception 'herald.send_event: event_type must be 1 to 255 characters' using errcode = '22023';
  end if;
  if tenant is not null and length(tenant) not between 1 and 255 then
    raise exception 'herald.send_event: tenant must be null or 1 to 255 characters' using errcode = '22023';
  end if;
  if payload is null then
    raise exception 'herald.send_event: payload must be JSON text' using errcode = '22023';
  end if;
  perform send_event.payload::json; -- raises 22P02 for text that is not JSON
  v_sha := encode(sha256(convert_to(send_event.payload, 'UTF8')), 'hex');

  insert into events (id, tenant, type, payload, payload_sha256)
  values (send_event.event_id, send_event.tenant, send_event.event_type, send_event.payload, v_sha)
  on conflict (id, tenant) do nothing
  returning seq into v_seq;
  if v_seq is null then
    select e.payload_sha256 into v_stored from events e
    where e.id = send_event.event_id and e.tenant is not distinct from send_event.tenant;
    if v_stored is distinct from v_sha then
      raise exception 'herald.send_event: an event with id % exists with a different payload', event_id
        using errcode = '23505';
    end if;
    return 0;
  end if;

  -- The fan-out of queue/enqueue.ts, for one event (test/queue/send-event.test.ts compares them).
  insert into deliveries (id, event_seq, endpoint_id)
  select herald_id('dlv_'), v_seq, ep.id
  from endpoints ep
  where coalesce(ep.tenant, '') = coalesce(send_event.tenant, '') and ep.deleted_at is null
    and (ep.event_types is null or send_event.event_type = any (ep.event_types)
      or (ep.event_prefixes is not null
        and exists (select 1 from unnest(ep.event_prefixes) p
                    where starts_with(send_event.event_type, p))));
  get diagnostics v_made = row_count;
  if v_made > 0 then
    perform pg_notify('herald_deliveries', '');
  end if;
  return v_made;
end
$$;

-- The same with a json or jsonb payload (jsonb is stored as PostgreSQL prints it: its key order
-- and spacing, not the caller's).
create function herald.send_event(event_id text, event_type text, tenant text, payload jsonb)
returns integer
language sql
security definer
set search_path = public, pg_temp
return herald.send_event(event_id, event_type, tenant, payload::text);
