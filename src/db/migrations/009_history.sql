-- Finished deliveries leave the queue. `deliveries` holds only pending and in-flight rows, so
-- its table and indexes stay the size of the work in progress however much has gone through;
-- a delivery that succeeds, fails for good or is cancelled moves, in the statement that
-- finishes it, to `delivery_history`, and back if it is re-queued by hand. History and
-- attempts are partitioned by day (UTC): retention drops whole partitions instead of deleting
-- rows one by one (no WAL per row, no dead rows for vacuum, no long deletes).
--
-- Each partitioned table has a default partition, so a row is never refused for want of its
-- day's partition (Herald makes them a week ahead: herald_daily_partitions below); rows that
-- land there are purged row by row, like before.

-- Makes the daily partitions of `parent` (named parent_YYYYMMDD) for the days first..last.
-- A day whose rows already sit in the default partition is skipped (they stay there); a
-- partition made meanwhile by another process, or a lock not granted in time, is left for
-- the next call. Returns how many partitions it made.
create function herald_daily_partitions(parent text, first_day date, last_day date)
returns int language plpgsql as $$
declare
  day date := first_day;
  made int := 0;
  name text;
begin
  while day <= last_day loop
    name := parent || '_' || to_char(day, 'YYYYMMDD');
    if to_regclass(name) is null then
      begin
        execute format('create table %I partition of %I for values from (%L) to (%L)', name, parent,
          day::timestamp at time zone 'UTC', (day + 1)::timestamp at time zone 'UTC');
        made := made + 1;
      exception
        when check_violation or duplicate_table or unique_violation or lock_not_available then null;
      end;
    end if;
    day := day + 1;
  end loop;
  return made;
end $$;

-- Attempts, partitioned by when they started; first, so that moving deliveries below does not
-- cascade to them. Their reference to deliveries goes (a delivery now moves between two
-- tables); Herald only writes attempts of deliveries it holds.
alter table attempts rename to attempts_old;
create sequence attempt_ids;
select setval('attempt_ids', coalesce((select max(id) from attempts_old), 0) + 1, false);
create table attempts (
  id bigint not null default nextval('attempt_ids'),
  delivery_id text not null,
  endpoint_id text,
  number int not null,
  started_at timestamptz not null,
  duration_ms int not null,
  status_code int,
  error_kind text,                       -- null when the endpoint answered 2xx
  error_message text,
  response_body text,                    -- first 1 KiB
  worker_id text
) partition by range (started_at);
alter sequence attempt_ids owned by attempts.id;
create table attempts_default partition of attempts default;
select herald_daily_partitions('attempts',
  least(current_date, (select min(started_at at time zone 'UTC')::date from attempts_old)),
  current_date + 7);
insert into attempts (id, delivery_id, endpoint_id, number, started_at, duration_ms, status_code,
                      error_kind, error_message, response_body, worker_id)
select id, delivery_id, endpoint_id, number, started_at, duration_ms, status_code, error_kind,
       error_message, response_body, worker_id
from attempts_old;
drop table attempts_old;
create index attempts_delivery on attempts (delivery_id, number);
create index attempts_endpoint_started on attempts (endpoint_id, started_at);
-- The dashboard's series of the last 15 minutes: a range of today's partition.
create index attempts_started on attempts (started_at);

create table delivery_history (
  id text not null,
  event_seq bigint not null,
  endpoint_id text not null,
  status text not null check (status in ('succeeded', 'failed', 'cancelled')),
  attempts int not null,
  next_attempt_at timestamptz not null,
  last_status_code int,
  last_error text,
  created_at timestamptz not null,
  updated_at timestamptz not null,               -- when it finished; the partition key
  window_started_at timestamptz
) partition by range (updated_at);
create table delivery_history_default partition of delivery_history default;

select herald_daily_partitions('delivery_history',
  least(current_date, (select min(updated_at at time zone 'UTC')::date from deliveries
                       where status in ('succeeded', 'failed', 'cancelled'))),
  current_date + 7);
with moved as (
  delete from deliveries where status in ('succeeded', 'failed', 'cancelled')
  returning id, event_seq, endpoint_id, status, attempts, next_attempt_at, last_status_code,
            last_error, created_at, updated_at, window_started_at
)
insert into delivery_history (id, event_seq, endpoint_id, status, attempts, next_attempt_at,
                              last_status_code, last_error, created_at, updated_at,
                              window_started_at)
select * from moved;

-- Reads by id (a delivery, retry), by endpoint (lists, recover), by event (its record,
-- replay, retention), by change (the live stream) and of the dead letters.
create index delivery_history_id on delivery_history (id);
create index delivery_history_endpoint on delivery_history (endpoint_id, id);
create index delivery_history_event on delivery_history (event_seq);
create index delivery_history_updated on delivery_history (updated_at, id);
create index delivery_history_failed on delivery_history (id) where status = 'failed';

drop index deliveries_failed;
alter table deliveries add constraint deliveries_queued check (status in ('pending', 'in_flight'));

-- Every delivery, wherever it is, with the columns the API reads.
create view all_deliveries as
  select id, event_seq, endpoint_id, status, attempts, next_attempt_at, last_status_code,
         last_error, created_at, updated_at
  from deliveries
  union all
  select id, event_seq, endpoint_id, status, attempts, next_attempt_at, last_status_code,
         last_error, created_at, updated_at
  from delivery_history;

