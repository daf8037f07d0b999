-- source.rejected notices (ops/notices.ts): at most one a minute per source, each with the
-- requests refused for their signature since the previous one.
alter table sources
  add column rejected_unannounced bigint not null default 0,
  add column rejected_announced_at timestamptz;

-- Redeliveries of a provider id with another body (409), per source: shown beside rejected.
alter table sources add column conflicts bigint not null default 0;
