// Endpoints: where events are delivered. Owns the endpoints table's SQL.
import type { Context } from "../context.ts";
import { HeraldError } from "../http/errors.ts";
import { newId } from "../ids.ts";
import { generateSecret } from "../signing/standard-webhooks.ts";

export interface EndpointInput {
  url: string;
  tenant?: string | null;
  event_types?: string[] | null;
  description?: string | null;
  secret?: string;
}

export type EndpointPatch = Partial<Omit<EndpointInput, "secret">> & { enabled?: boolean };

interface EndpointRow {
  id: string;
  tenant: string | null;
  url: string;
  description: string | null;
  event_types: string[] | null;
  enabled: boolean;
  disabled_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  "id, tenant, url, description, event_types, enabled, disabled_reason, created_at, updated_at";

export function endpointJson(row: EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    tenant: row.tenant,
    description: row.description,
    event_types: row.event_types,
    enabled: row.enabled,
    disabled_reason: row.disabled_reason,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** Only absolute http(s) URLs; the SSRF check on the resolved address happens at delivery time. */
export function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HeraldError("invalid_request", `url is not a valid URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new HeraldError("invalid_request", "url must use http or https");
  }
}

export async function createEndpoint(ctx: Context, input: EndpointInput) {
  checkUrl(input.url);
  const secret = input.secret ?? generateSecret();
  const [row] = await ctx.sql<EndpointRow[]>`
    insert into endpoints (id, tenant, url, description, event_types, secret)
    values (${newId("ep_")}, ${input.tenant ?? null}, ${input.url}, ${input.description ?? null},
            ${input.event_types ?? null}, ${secret})
    returning ${ctx.sql.unsafe(COLUMNS)}`;
  return { ...endpointJson(row as EndpointRow), secret };
}

export async function getEndpoint(ctx: Context, id: string) {
  const [row] = await ctx.sql<EndpointRow[]>`
    select ${ctx.sql.unsafe(COLUMNS)} from endpoints where id = ${id} and deleted_at is null`;
  if (!row) throw new HeraldError("endpoint_not_found", `No endpoint with id ${id}.`);
  return endpointJson(row);
}

export async function listEndpoints(
  ctx: Context,
  q: { tenant?: string; limit: number; cursor?: string },
) {
  const rows = await ctx.sql<EndpointRow[]>`
    select ${ctx.sql.unsafe(COLUMNS)} from endpoints
    where deleted_at is null
      ${q.tenant !== undefined ? ctx.sql`and tenant = ${q.tenant}` : ctx.sql``}
      ${q.cursor ? ctx.sql`and id < ${q.cursor}` : ctx.sql``}
    order by id desc limit ${q.limit + 1}`;
  const page = rows.slice(0, q.limit);
  return {
    data: page.map(endpointJson),
    next_cursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export async function updateEndpoint(ctx: Context, id: string, patch: EndpointPatch) {
  if (patch.url !== undefined) checkUrl(patch.url);
  const set: Record<string, unknown> = { updated_at: new Date(ctx.now()) };
  for (const key of ["url", "tenant", "description", "event_types", "enabled"] as const) {
    if (patch[key] !== undefined) set[key] = patch[key];
  }
  if (patch.enabled === true) set.disabled_reason = null;
  if (patch.enabled === false) set.disabled_reason = "disabled by hand";
  const [row] = await ctx.sql<EndpointRow[]>`
    update endpoints set ${ctx.sql(set)}
    where id = ${id} and deleted_at is null
    returning ${ctx.sql.unsafe(COLUMNS)}`;
  if (!row) throw new HeraldError("endpoint_not_found", `No endpoint with id ${id}.`);
  return endpointJson(row);
}

/** Soft delete: the row stays for the history of its deliveries; its pending deliveries are cancelled. */
export async function deleteEndpoint(ctx: Context, id: string): Promise<void> {
  await ctx.sql.begin(async (tx) => {
    const rows =
      await tx`update endpoints set deleted_at = now(), legacy_url_key = null, updated_at = now()
      where id = ${id} and deleted_at is null returning id`;
    if (!rows.length) throw new HeraldError("endpoint_not_found", `No endpoint with id ${id}.`);
    await tx`update deliveries set status = 'cancelled', updated_at = now()
      where endpoint_id = ${id} and status = 'pending'`;
  });
}

/** The endpoint that receives POST /events for one target_url: one per URL, made on first use. */
export async function legacyEndpointFor(ctx: Context, url: string): Promise<string> {
  checkUrl(url);
  const [row] = await ctx.sql<{ id: string }[]>`
    insert into endpoints (id, url, description, event_types, secret, legacy_url_key)
    values (${newId("ep_")}, ${url}, 'created for POST /events target_url', '{}', ${generateSecret()}, ${url})
    on conflict (legacy_url_key) do update set legacy_url_key = excluded.legacy_url_key
    returning id`;
  return (row as { id: string }).id;
}

/** Ids among `ids` that are live endpoints of `tenant`; the others are reported as bad input. */
export async function checkTargets(
  ctx: Context,
  ids: string[],
  tenant: string | null,
): Promise<void> {
  const rows = await ctx.sql<{ id: string; tenant: string | null }[]>`
    select id, tenant from endpoints where id = any(${ids}) and deleted_at is null`;
  const found = new Map(rows.map((r) => [r.id, r.tenant]));
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length) {
    throw new HeraldError("invalid_request", "endpoint_ids has unknown endpoints", { unknown });
  }
  const foreign = ids.filter((id) => found.get(id) !== tenant);
  if (foreign.length) {
    throw new HeraldError("invalid_request", "endpoint_ids has endpoints of another tenant", {
      foreign,
    });
  }
}
