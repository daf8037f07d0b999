// A claimed delivery as the worker sees it, for unit tests of what an attempt sends.

import type { Claimed } from "../../src/queue/claim.ts";
import { SecretBox } from "../../src/secrets/box.ts";

/** Defaults for every field of Claimed; a test sets only the fields it is about. */
export function claimedRow(fields: Partial<Claimed> = {}): Claimed {
  return {
    content_type: null,
    id: "dlv_1",
    attempts: 1,
    created_at: new Date(),
    enqueued_at: new Date(),
    trace_context: null,
    event_id: "evt_1",
    payload: "{}",
    endpoint_id: "ep_1",
    url: "http://127.0.0.1:9/",
    secret: `whsec_${Buffer.alloc(32, 1).toString("base64")}`,
    previous_secret: null,
    previous_secret_expires_at: null,
    signature_scheme: "standard-webhooks",
    headers: null,
    class: "healthy",
    max_in_flight: 1000,
    ...fields,
  };
}

/** A box for attemptRequest: rows made here hold secrets in clear, which open() passes through. */
export const testBox = new SecretBox(Buffer.alloc(32, 7));
