// Test ping: a signed `herald.ping` event sent to an endpoint at once, outside the queue, so an
// operator sees whether the endpoint is reachable and verifies signatures before real traffic
// flows. It goes through the same Sender (timeouts, SSRF guard) and the same headers
// (secrets during a rotation, signature scheme, static headers) as a real attempt. Nothing is
// stored but the audit entry: a ping is not an event, has no delivery and no attempt row.
import { audit } from "../audit/log.ts";
import { andTenant, type Caller } from "../auth/access.ts";
import type { Context } from "../context.ts";
import { attemptRequest, type SignedRow } from "../delivery/request.ts";
import type { OutcomeKind, Sender } from "../delivery/sender.ts";
import { notFound } from "../errors.ts";
import { newId } from "../ids.ts";

type EndpointRow = Pick<
  SignedRow,
  "secret" | "previous_secret" | "previous_secret_expires_at" | "signature_scheme" | "headers"
> & { url: string; tenant: string | null };

export interface PingResult {
  /** The id the ping carried in `webhook-id`. */
  event_id: string;
  /** `ok` for a 2xx, else the error kind of the attempt. */
  status: OutcomeKind;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
}

export async function pingEndpoint(
  ctx: Context,
  sender: Sender,
  endpointId: string,
  caller: Caller,
): Promise<PingResult> {
  const { sql } = ctx;
  const [ep] = await sql<EndpointRow[]>`
    select url, tenant, secret, previous_secret, previous_secret_expires_at, signature_scheme,
           headers
    from endpoints where id = ${endpointId} and deleted_at is null ${andTenant(sql, caller.tenant)}`;
  if (!ep) throw notFound("endpoint", endpointId);

  const now = ctx.now();
  const eventId = newId("evt_", now);
  const payload = JSON.stringify({
    type: "herald.ping",
    endpoint_id: endpointId,
    timestamp: new Date(now).toISOString(),
  });
  const row: SignedRow = { ...ep, event_id: eventId, content_type: null, payload };
  const request = attemptRequest(row, Math.floor(now / 1000), ctx.secrets);
  const outcome = await sender.send(ep.url, request.headers, request.body);
  const result: PingResult = {
    event_id: eventId,
    status: outcome.kind,
    status_code: outcome.statusCode,
    duration_ms: outcome.durationMs,
    error: outcome.message,
  };
  await audit(sql, {
    actor: caller.actor,
    action: "endpoint.tested",
    subject: endpointId,
    tenant: ep.tenant,
    details: {
      event_id: eventId,
      status: result.status,
      status_code: result.status_code,
      duration_ms: result.duration_ms,
    },
  });
  return result;
}
