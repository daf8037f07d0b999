// The headers of one attempt: Standard Webhooks signature (both secrets during a rotation),
// the endpoint's optional scheme and static headers. Herald's own headers win over static ones.
import { signatureHeaders } from "../signing/standard-webhooks.ts";
import type { Claimed } from "./queue.ts";

export function attemptHeaders(row: Claimed, timestamp: number): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": "Herald-Webhooks/0.1",
    ...signatureHeaders([row.secret], row.event_id, timestamp, row.payload),
  };
}
