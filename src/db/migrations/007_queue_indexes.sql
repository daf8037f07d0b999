-- Fewer ways to read the queue. Every index on deliveries is written on each insert and on
-- each of a delivery's (non-HOT) updates, and the worker's statements run on generic plans
-- that statistics taken moments before a burst can steer into the wrong index: with 100,000
-- pending deliveries, statistics from when none were pending made the claim read a whole
-- per-endpoint index and sort it, and completions scan the in-flight index per row.
-- - deliveries_endpoint_due: only deleting an endpoint reads pending deliveries per endpoint,
--   which deliveries_endpoint (endpoint_id, id) serves;
-- - deliveries_endpoint_in_flight: nothing reads it.
drop index deliveries_endpoint_due;
drop index deliveries_endpoint_in_flight;

-- A delivery has a worker exactly while it is in flight: a claim sets worker_id, and every way
-- out of in_flight (completion, lease reaper, re-queue) clears it. Completions recognise "this
-- worker still holds this attempt" by worker_id and attempt number alone (no condition on
-- status, which matched the partial indexes of in-flight rows), so the invariant is enforced
-- here rather than assumed.
alter table deliveries add constraint deliveries_worker_in_flight
  check ((status = 'in_flight') = (worker_id is not null));
