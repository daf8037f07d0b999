import { randomFillSync } from "node:crypto";

// Random bytes are drawn 4 KiB at a time: one randomBytes(8) call per id cost ~6 µs, a
// measurable share of an ingest request.
const pool = Buffer.alloc(4096);
let offset = pool.length;

function randomHex8(): string {
  if (offset + 8 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  offset += 8;
  return pool.toString("hex", offset - 8, offset);
}

/** Ids sortable by creation time: prefix + 12 hex digits of unix ms + 16 random hex digits (as SQL's herald_id). */
export function newId(
  prefix: "evt_" | "ep_" | "dlv_" | "src_" | "key_" | "ps_",
  now = Date.now(),
): string {
  return prefix + now.toString(16).padStart(12, "0") + randomHex8();
}
