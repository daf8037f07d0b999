-- The dashboard's live stream (GET /v1/stream) reads what changed since its last cursor.
-- Events are read by seq (the primary key); deliveries and endpoints by when they changed.

-- Deliveries changed since (updated_at, id): a range scan from the cursor, in order, that
-- stops at its limit however far behind the cursor is. Every delivery update already changes
-- an indexed column (status is in partial-index predicates), so none was a HOT update: this
-- adds one index entry per insert and update, not a lost HOT path. Measured: drain ~5%
-- slower, ingest within noise (docs/performance.md); on updated_at alone it cost the same.
create index deliveries_updated on deliveries (updated_at, id);

-- Endpoints changed since (updated_at, id): small, but read every poll while a browser watches.
create index endpoints_updated on endpoints (updated_at, id);
