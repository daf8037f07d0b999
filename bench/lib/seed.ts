// Seeding a backlog without HTTP, through Herald's own write path (writeEvents: the same
// statement the API's group commit runs), so pending deliveries are made exactly as in
// production but at the database's pace rather than the API's.
import type { TransactionSql } from "postgres";
import type { Sql } from "../../src/db/connect.ts";
import { HeraldError } from "../../src/errors.ts";
import { writeEvents } from "../../src/events/ingest.ts";
import { newId } from "../../src/ids.ts";
import { round } from "./stats.ts";

/** The payload of every bench event: ~300 bytes of JSON. */
export const PAYLOAD = {
  amount: 4200,
  currency: "EUR",
  customer: "cus_0123456789",
  note: "x".repeat(200),
};
const PAYLOAD_TEXT = JSON.stringify(PAYLOAD);

export interface Seeded {
  events: number;
  deliveries: number;
  seconds: number;
}

/**
 * Writes `events` events of `type` in statements of `batch` events; each fans out to the
 * endpoints subscribed to `type`. With `progress`, prints a line every tenth of the way.
 */
export async function seedEvents(
  sql: Sql | TransactionSql,
  o: { events: number; type: string; batch: number; progress?: string },
): Promise<Seeded> {
  const t0 = performance.now();
  let deliveries = 0;
  let reported = 0;
  for (let done = 0; done < o.events; ) {
    const n = Math.min(o.batch, o.events - done);
    const inputs = Array.from({ length: n }, () => ({
      id: newId("evt_"),
      tenant: null,
      type: o.type,
      payload: PAYLOAD_TEXT,
    }));
    for (const r of await writeEvents(sql, inputs)) {
      if (r instanceof HeraldError) throw r;
      deliveries += r.deliveries;
    }
    done += n;
    if (o.progress && (done - reported >= o.events / 10 || done === o.events)) {
      reported = done;
      const s = round((performance.now() - t0) / 1000);
      console.log(`  ${o.progress}: ${done} events, ${deliveries} deliveries, ${s} s`);
    }
  }
  return { events: o.events, deliveries, seconds: round((performance.now() - t0) / 1000, 2) };
}
