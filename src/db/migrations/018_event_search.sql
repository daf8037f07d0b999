-- Finding events by a payload field (GET /v1/events?payload_path=customer_id&payload_value=…):
-- the payload as jsonb, indexed for containment (jsonb_path_ops: the smallest GIN, one hash
-- per path and value). API events are JSON by construction; an inbound body is parsed only
-- when its content type says JSON, and one that does not parse is simply not searchable
-- (its exception block, a subtransaction, is entered for inbound events alone).
create function herald_payload_jsonb(payload text, content_type text) returns jsonb
language plpgsql immutable parallel safe as $$
begin
  if content_type is null then
    return payload::jsonb;
  end if;
  if content_type !~* 'json' then
    return null;
  end if;
  begin
    return payload::jsonb;
  exception when others then
    return null;
  end;
end
$$;

create index events_payload on events
  using gin (herald_payload_jsonb(payload, content_type) jsonb_path_ops);
