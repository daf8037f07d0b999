// Endpoints that point at a test receiver, and events delivered to them through a Herald's
// API: for tests that look at what arrives on the wire.
import assert from "node:assert/strict";
import { type TestHerald, waitFor } from "../helpers.ts";
import type { ReceivedRequest, Receiver } from "./receiver.ts";

/** A request's single-valued headers, as the standardwebhooks verifier takes them. */
export function headersOf(r: ReceivedRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) if (typeof v === "string") out[k] = v;
  return out;
}

export function receiverEndpoints(herald: TestHerald, receiver: Receiver) {
  return {
    /** Creates an endpoint for `receiver.url + path` with more fields from `body`. */
    async create(path: string, body: Record<string, unknown> = {}) {
      const res = await herald.api("POST", "/v1/endpoints", {
        url: `${receiver.url}${path}`,
        ...body,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; secret: string };
    },

    /** Sends an event with `payload` to endpoint `id`; resolves with the next request to `path`. */
    async deliver(id: string, path: string, payload: unknown): Promise<ReceivedRequest> {
      const seen = receiver.requests(path).length;
      const res = await herald.api("POST", "/v1/events", {
        type: "t",
        payload,
        endpoint_ids: [id],
      });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      await waitFor(() => receiver.requests(path).length > seen, 5_000, `a request to ${path}`);
      return receiver.requests(path)[seen] as ReceivedRequest;
    },
  };
}
