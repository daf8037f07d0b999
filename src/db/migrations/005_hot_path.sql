-- Deliveries no longer carry foreign keys to events and endpoints. Each check cost the ingest
-- statement a lookup and a row lock (a WAL record and a dirtied page) per delivery: ~30% of
-- the statement. Herald keeps the references itself: deliveries are only made by statements
-- that join the event and endpoint rows they name; endpoints are never deleted (deleted_at);
-- retention deletes an event only once no delivery is left for it, under EVENTS_LOCK, which
-- every writer adding a delivery to an existing event takes shared.
alter table deliveries drop constraint deliveries_event_seq_fkey;
alter table deliveries drop constraint deliveries_endpoint_id_fkey;
