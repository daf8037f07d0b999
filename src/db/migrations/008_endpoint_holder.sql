-- The worker that alone holds an endpoint's in-flight deliveries, if one does (null: none, or
-- several). That worker may claim more of them than max_in_flight and send at most
-- max_in_flight at once, starting the next one as soon as one ends instead of waiting for the
-- round trips that record the outcome and claim again (queue/claim.ts). The claim reads it
-- under the endpoint row's lock; no other statement needs to clear it: a claim that finds
-- in_flight at 0 takes the endpoint afresh whatever it says.
alter table endpoints add column held_by text;
