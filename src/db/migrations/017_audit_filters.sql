-- The audit log filtered by who or what (GET /v1/audit?actor=&action=, the dashboard's audit
-- page), newest first, without reading the entries of everyone else.
create index audit_log_actor on audit_log (actor, id);
create index audit_log_action on audit_log (action, id);
