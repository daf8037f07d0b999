// An endpoint as its row holds it and as the API shows it (its circuit as breaker.ts derives
// it from the columns the worker keeps); secrets are never part of this view.
import type { Context } from "../context.ts";
import { graceUntil } from "../secrets/grace.ts";
import { circuitState } from "./breaker.ts";
import { redactHeaders, redactUrl, type SignatureScheme } from "./policy.ts";

export interface EndpointRow {
  id: string;
  tenant: string | null;
  url: string;
  description: string | null;
  event_types: string[] | null;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  max_in_flight: number;
  rate_limit_per_second: number | null;
  signature_scheme: SignatureScheme;
  headers: Record<string, string> | null;
  previous_secret_expires_at: Date | null;
  consecutive_failures: number;
  circuit_open_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const COLUMNS =
  "id, tenant, url, description, event_types, enabled, disabled_reason, disabled_at, " +
  "max_in_flight, " +
  "rate_limit_per_second, signature_scheme, headers, previous_secret_expires_at, " +
  "consecutive_failures, circuit_open_until, created_at, updated_at";

/**
 * URL credentials and sensitive static header values are redacted, unless `reveal` (the answer
 * to the request that created the endpoint: shown once, like its secret).
 */
export function endpointJson(ctx: Context, row: EndpointRow, reveal = false) {
  const previousUntil = row.previous_secret_expires_at;
  const headers = row.headers ?? {};
  return {
    id: row.id,
    url: reveal ? row.url : redactUrl(row.url),
    tenant: row.tenant,
    description: row.description,
    event_types: row.event_types,
    enabled: row.enabled,
    disabled_reason: row.disabled_reason,
    disabled_at: row.disabled_at?.toISOString() ?? null,
    max_in_flight: row.max_in_flight,
    rate_limit_per_second: row.rate_limit_per_second,
    signature_scheme: row.signature_scheme,
    headers: reveal ? headers : redactHeaders(headers),
    circuit: circuitState(row, ctx.config.circuitFailures, ctx.now()),
    previous_secret_expires_at: graceUntil(previousUntil, ctx.now())?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
