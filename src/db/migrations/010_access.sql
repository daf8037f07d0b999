-- API keys with scopes, tenants, expiry and revocation; the audit log knows each entry's tenant.
--
-- Scopes: admin (everything), admin:read (read everything), tenant (read and write one
-- tenant's data), tenant:read (read it). A tenant scope names its tenant; an admin one does not.
-- A key's origin says how it came: HERALD_API_KEY (config; a new configured key retires the
-- previous one), generated on a first start, or made through the API.
alter table api_keys
  add column scope text not null default 'admin'
    check (scope in ('admin', 'admin:read', 'tenant', 'tenant:read')),
  add column tenant text,
  add column origin text not null default 'api' check (origin in ('config', 'generated', 'api')),
  add column expires_at timestamptz,
  add column revoked_at timestamptz,
  add column last_used_at timestamptz,
  add constraint api_keys_tenant check ((scope like 'tenant%') = (tenant is not null));

update api_keys set origin = case name when 'HERALD_API_KEY' then 'config' when 'generated' then 'generated' else 'api' end;

-- Every API process asks a few times a second what was revoked lately.
create index api_keys_revoked on api_keys (revoked_at) where revoked_at is not null;

-- Null: an entry about the platform's own objects (no tenant), seen by admin keys only.
alter table audit_log add column tenant text;
create index audit_log_tenant on audit_log (tenant, id) where tenant is not null;
-- Entries written before: their tenant from the endpoint, source or delivery they name.
update audit_log a set tenant = x.tenant
from (
  select id, tenant from endpoints where tenant is not null
  union all select id, tenant from sources where tenant is not null
  union all select d.id, e.tenant from all_deliveries d join endpoints e on e.id = d.endpoint_id
    where e.tenant is not null
) x
where x.id = a.subject;
update audit_log set tenant = details->>'tenant'
where action = 'event.replayed' and details->>'tenant' is not null;
