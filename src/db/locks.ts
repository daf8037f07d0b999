// Every advisory-lock key Herald takes, in one place so no two uses collide. Keys are ASCII
// tags read as 32-bit integers ("HERL" = 0x4845524c), easy to spot in pg_locks.

/** Migrations: held (transaction-level) while one process applies them. */
export const MIGRATIONS_LOCK = 0x4845524c; // "HERL"

/** A retention round: held (session-level) for the whole round, so one process purges at a time. */
export const RETENTION_ROUND_LOCK = 0x48525431; // "HRT1"

/**
 * Taken exclusively around each batch of event deletes, and shared by anything that adds a
 * delivery to an existing event (replay), so an event cannot be deleted between the moment
 * such a writer found it and the commit of its new delivery.
 */
export const EVENTS_LOCK = 0x48525432; // "HRT2"

/** Each batch of secrets re-encrypted at start (secrets/reencrypt.ts). */
export const SECRETS_LOCK = 0x48525433; // "HRT3"
