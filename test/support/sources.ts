// Helpers for inbound-source tests: an internal endpoint on the receiver, a source feeding it,
// and raw POSTs to /in/:source_id exactly as a provider would send them (no API key).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { TestHerald } from "../helpers.ts";
import { waitFor } from "../helpers.ts";
import type { ReceivedRequest, Receiver } from "./receiver.ts";

export interface InboundSetup {
  sourceId: string;
  secret: string | null;
  tenant: string;
  /** The receiver path of the endpoint subscribed to `types`. */
  path: string;
  /** The receiver path of an endpoint of the same tenant subscribed to another type only. */
  otherPath: string;
}

/**
 * A fresh tenant with two endpoints (one subscribed to `types`, one to "unrelated.type") and a
 * source of `provider` for that tenant, fanning out by type.
 */
export async function setupSource(
  herald: TestHerald,
  receiver: Receiver,
  source: Record<string, unknown>,
  types: string[],
): Promise<InboundSetup> {
  const tenant = `t_${randomBytes(4).toString("hex")}`;
  const path = `/${tenant}/wanted`;
  const otherPath = `/${tenant}/other`;
  for (const [p, eventTypes] of [
    [path, types],
    [otherPath, ["unrelated.type"]],
  ] as const) {
    const ep = await herald.api("POST", "/v1/endpoints", {
      url: `${receiver.url}${p}`,
      tenant,
      event_types: eventTypes,
    });
    assert.equal(ep.status, 201, JSON.stringify(ep.body));
  }
  const res = await herald.api("POST", "/v1/sources", { name: "test", tenant, ...source });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.ingest_url, `/in/${res.body.id}`);
  return { sourceId: res.body.id, secret: res.body.secret, tenant, path, otherPath };
}

/** POSTs raw bytes to /in/:id with the given headers; returns status and parsed JSON. */
export async function postInbound(
  herald: TestHerald,
  sourceId: string,
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${herald.url}/in/${sourceId}`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

export async function requestsTo(
  receiver: Receiver,
  path: string,
  n: number,
): Promise<ReceivedRequest[]> {
  await waitFor(() => receiver.requests(path).length >= n, 5_000, `${n} request(s) to ${path}`);
  return receiver.requests(path);
}

/** The source's `rejected` counter. */
export async function rejectedCount(herald: TestHerald, sourceId: string): Promise<number> {
  const res = await herald.api("GET", `/v1/sources/${sourceId}`);
  assert.equal(res.status, 200);
  return res.body.rejected;
}

/** Events of a tenant as GET /v1/events lists them. */
export async function eventsOf(herald: TestHerald, tenant: string): Promise<any[]> {
  const res = await herald.api("GET", `/v1/events?tenant=${tenant}`);
  assert.equal(res.status, 200);
  return res.body.data;
}
