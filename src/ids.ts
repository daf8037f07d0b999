import { randomBytes } from "node:crypto";

/** Ids sortable by creation time: prefix + 12 hex digits of unix ms + 16 random hex digits (as SQL's herald_id). */
export function newId(prefix: "evt_" | "ep_" | "dlv_" | "src_" | "key_", now = Date.now()): string {
  return prefix + now.toString(16).padStart(12, "0") + randomBytes(8).toString("hex");
}
