// Endpoint health from the attempts table: over the last hour and the last day, how many
// attempts, how many succeeded, latency percentiles, and the last success and failure.
// One statement, read through attempts_endpoint_started (endpoint_id, started_at).
import { andTenant } from "../auth/access.ts";
import type { Context } from "../context.ts";
import { notFound } from "../errors.ts";

interface WindowRow {
  name: "last_hour" | "last_day";
  attempts: number;
  succeeded: number;
  p50: number | null;
  p95: number | null;
  last_success_at: Date | null;
  last_failure_at: Date | null;
}

export interface WindowStats {
  attempts: number;
  succeeded: number;
  /** succeeded / attempts, null when there was no attempt. */
  success_rate: number | null;
  p50_duration_ms: number | null;
  p95_duration_ms: number | null;
  last_success_at: string | null;
  last_failure_at: string | null;
}

/**
 * `GET /v1/endpoints/:id/stats` as of `now`. An attempt succeeded when the endpoint answered
 * 2xx (no error kind). Tries lost with their worker (`lease_expired`) count as failed attempts
 * but not in the latency percentiles: their duration is unknown (stored as 0).
 */
export async function endpointStats(ctx: Context, endpointId: string, now: Date, tenant?: string) {
  const { sql } = ctx;
  const [ep] = await sql`
    select 1 from endpoints
    where id = ${endpointId} and deleted_at is null ${andTenant(sql, tenant)}`;
  if (!ep) throw notFound("endpoint", endpointId);
  const rows = await sql<WindowRow[]>`
    select w.name,
           count(a.id)::int as attempts,
           count(a.id) filter (where a.error_kind is null)::int as succeeded,
           percentile_cont(0.5) within group (order by a.duration_ms)
             filter (where a.error_kind is distinct from 'lease_expired') as p50,
           percentile_cont(0.95) within group (order by a.duration_ms)
             filter (where a.error_kind is distinct from 'lease_expired') as p95,
           max(a.started_at) filter (where a.error_kind is null) as last_success_at,
           max(a.started_at) filter (where a.error_kind is not null) as last_failure_at
    from (values ('last_hour', interval '1 hour'), ('last_day', interval '1 day')) as w(name, span)
    left join attempts a
      on a.endpoint_id = ${endpointId}
     and a.started_at > ${now}::timestamptz - w.span and a.started_at <= ${now}::timestamptz
    group by w.name`;
  const byName = new Map(rows.map((r) => [r.name, r]));
  const json = (name: WindowRow["name"]): WindowStats => {
    const r = byName.get(name);
    const attempts = r?.attempts ?? 0;
    const succeeded = r?.succeeded ?? 0;
    return {
      attempts,
      succeeded,
      success_rate: attempts > 0 ? succeeded / attempts : null,
      p50_duration_ms: tenth(r?.p50),
      p95_duration_ms: tenth(r?.p95),
      last_success_at: r?.last_success_at?.toISOString() ?? null,
      last_failure_at: r?.last_failure_at?.toISOString() ?? null,
    };
  };
  return {
    endpoint_id: endpointId,
    as_of: now.toISOString(),
    last_hour: json("last_hour"),
    last_day: json("last_day"),
  };
}

/** Durations are whole milliseconds; interpolated percentiles are rounded to a tenth. */
function tenth(ms: number | null | undefined): number | null {
  return ms === null || ms === undefined ? null : Math.round(ms * 10) / 10;
}
