// Sending an event inside the platform's own database transaction, so it commits or rolls back
// with the business write: herald.send_event() when Herald shares the database, or a row in
// the outbox table that `herald outbox` relays when it does not. For postgres.js (`postgres`)
// and node-postgres (`pg`) clients, transactions or plain connections.

export interface TransactionalEvent {
  /** Fixed by the caller so its own retries are deduplicated; generated when left out. */
  id?: string;
  type: string;
  tenant?: string | null;
  payload: unknown;
}

/** A postgres.js `sql` (or transaction), or a pg Client, PoolClient or Pool. */
export type SqlClient =
  // Parameters as never[]: each client has its own parameter type, and takes ours.
  | { unsafe(query: string, params: never[]): PromiseLike<unknown> }
  | { query(query: string, params: never[]): PromiseLike<{ rows: unknown[] }> };

async function run(sql: SqlClient, query: string, params: unknown[]): Promise<unknown[]> {
  if ("unsafe" in sql && typeof sql.unsafe === "function") {
    return (await sql.unsafe(query, params as never[])) as unknown[];
  }
  if ("query" in sql && typeof sql.query === "function") {
    return (await sql.query(query, params as never[])).rows;
  }
  throw new TypeError("sql must be a postgres.js sql or transaction, or a pg client");
}

export const newEventId = () => `evt_${globalThis.crypto.randomUUID().replace(/-/g, "")}`;

/**
 * `select herald.send_event(…)` in the caller's transaction: answers the deliveries made (0 for
 * the same event sent again). The same id with another payload raises SQLSTATE 23505, which
 * aborts the transaction.
 */
export async function sendInTransaction(
  sql: SqlClient,
  event: TransactionalEvent,
): Promise<number> {
  const [row] = (await run(sql, "select herald.send_event($1, $2, $3, $4::text) as deliveries", [
    event.id ?? newEventId(),
    event.type,
    event.tenant ?? null,
    JSON.stringify(event.payload),
  ])) as { deliveries: number }[];
  return Number(row?.deliveries ?? 0);
}

const TABLE = /^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/;

/**
 * Inserts the event into the outbox table (`herald outbox init` made it) in the caller's
 * transaction; `herald outbox` relays it once committed. Answers the event id.
 */
export async function sendToOutbox(
  sql: SqlClient,
  event: TransactionalEvent,
  options: { table?: string } = {},
): Promise<string> {
  const table = options.table ?? "herald_outbox";
  if (!TABLE.test(table)) throw new TypeError(`not a table name: ${table}`);
  const quoted = table
    .split(".")
    .map((p) => `"${p}"`)
    .join(".");
  const id = event.id ?? newEventId();
  // The payload goes as text, cast in SQL: a parameter typed jsonb is JSON-encoded again by
  // postgres.js, and the row would hold a JSON string.
  await run(
    sql,
    `insert into ${quoted} (id, type, tenant, payload) values ($1, $2, $3, $4::text::jsonb)`,
    [id, event.type, event.tenant ?? null, JSON.stringify(event.payload)],
  );
  return id;
}
