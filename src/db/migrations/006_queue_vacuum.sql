-- Vacuum keeps the claim fast: every delivery passes through `pending`, and each of its
-- updates leaves a dead entry in deliveries_due at the old end of the index, where every claim
-- starts reading. Measured (npm run bench -- --aged): with the default cost-based pauses, no
-- autovacuum of deliveries finished while 1,000,000 deliveries went through and were purged;
-- the drain fell to half its fresh rate. These tables are vacuumed without pauses: a queue's
-- vacuum is part of its hot path, not background housekeeping.
alter table deliveries set (autovacuum_vacuum_cost_delay = 0);
alter table attempts set (autovacuum_vacuum_cost_delay = 0);
alter table events set (autovacuum_vacuum_cost_delay = 0);
