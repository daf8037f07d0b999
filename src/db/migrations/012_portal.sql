-- Merchant portal sessions. An admin makes one for a tenant: a link whose token (stored as its
-- SHA-256 only) may be exchanged once, within minutes, for a cookie session that lasts until
-- expires_at. The cookie itself is signed, not stored: requests are checked without a query.
create table portal_sessions (
  id text primary key,
  tenant text not null,
  read_only boolean not null default false,
  link_hash bytea not null unique,
  link_expires_at timestamptz not null,
  exchanged_at timestamptz,
  expires_at timestamptz not null,
  created_by text not null,
  created_at timestamptz not null default now()
);
