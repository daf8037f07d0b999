// Endpoints: where events are delivered. Owns the endpoints table's SQL for creating, reading,
// changing and deleting them; every change is audited in the transaction that makes it.
import { type AuditEntry, audit, SYSTEM } from "../audit/log.ts";
import { andTenant, type Caller } from "../auth/access.ts";
import type { Context } from "../context.ts";
import type { Sql } from "../db/connect.ts";
import { keysetPage } from "../db/paging.ts";
import { checkDestination } from "../delivery/ssrf.ts";
import { HeraldError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { switchedEvent, writeOpsEvents } from "../ops/notices.ts";
import { cancelForEndpoint, wakeWorkers } from "../queue/index.ts";
import { generateSecret, isValidSecret } from "../signing/standard-webhooks.ts";
import { switchChange } from "./enable.ts";
import { auditValue, checkHeaders, type SignatureScheme, unredact } from "./policy.ts";
import { COLUMNS, type EndpointRow, endpointJson } from "./row.ts";

export interface EndpointInput {
  url: string;
  tenant?: string | null;
  event_types?: string[] | null;
  description?: string | null;
  secret?: string;
  max_in_flight?: number;
  rate_limit_per_second?: number | null;
  signature_scheme?: SignatureScheme;
  headers?: Record<string, string> | null;
}

export type EndpointPatch = Partial<Omit<EndpointInput, "secret">> & { enabled?: boolean };

/** Fields a caller sets, in the order the audit log lists them. */
const SETTABLE = [
  "url",
  "tenant",
  "description",
  "event_types",
  "max_in_flight",
  "rate_limit_per_second",
  "signature_scheme",
  "headers",
] as const;

/**
 * Only absolute http(s) URLs, and, unless private networks are allowed, only to public
 * addresses as far as can be told now (the check runs again at delivery, on the address
 * connected to, for names that change what they resolve to).
 */
export async function checkUrl(ctx: Context, url: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HeraldError("invalid_request", "url is not a valid URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new HeraldError("invalid_request", "url must use http or https");
  }
  if (!ctx.config.allowPrivateNetworks) {
    const refused = await checkDestination(parsed);
    if (refused) throw new HeraldError("invalid_request", `url: ${refused.message}`);
  }
}

/** The settable fields present in `input`, as column values (no headers is SQL null). */
function columnValues(sql: Sql, input: EndpointPatch): Record<string, unknown> {
  if (input.headers) checkHeaders(input.headers);
  const values: Record<string, unknown> = {};
  for (const key of SETTABLE) {
    const value = input[key];
    if (value === undefined) continue;
    values[key] =
      key === "headers"
        ? value && Object.keys(value).length
          ? sql.json(value as Record<string, string>)
          : null
        : value;
  }
  return values;
}

export async function createEndpoint(ctx: Context, caller: Caller, input: EndpointInput) {
  await checkUrl(ctx, input.url);
  const values = columnValues(ctx.sql, input);
  const secret = input.secret ?? generateSecret();
  const row = await ctx.sql.begin(async (tx) => {
    const [created] = await tx<EndpointRow[]>`
      insert into endpoints ${tx({ ...values, id: newId("ep_"), secret: ctx.secrets.seal(secret) })}
      returning ${tx.unsafe(COLUMNS)}`;
    const ep = created as EndpointRow;
    const details: Record<string, unknown> = { secret_generated: input.secret === undefined };
    for (const key of SETTABLE) details[key] = auditValue(key, ep[key]);
    await audit(tx, {
      actor: caller.actor,
      action: "endpoint.created",
      subject: ep.id,
      tenant: ep.tenant,
      details,
    });
    return ep;
  });
  return { ...endpointJson(ctx, row as EndpointRow, true), secret };
}

export async function getEndpoint(ctx: Context, id: string, tenant?: string) {
  const [row] = await ctx.sql<EndpointRow[]>`
    select ${ctx.sql.unsafe(COLUMNS)} from endpoints
    where id = ${id} and deleted_at is null ${andTenant(ctx.sql, tenant)}`;
  if (!row) throw notFound("endpoint", id);
  return endpointJson(ctx, row);
}

/** What the endpoint list can be narrowed to by health. */
export const endpointHealth = ["healthy", "failing", "circuit_open", "disabled"] as const;
/** Orders of the endpoint list: newest first (the default), by URL, tenant, or failing streak. */
export const endpointSorts = ["created", "url", "tenant", "failures"] as const;

export interface EndpointQuery {
  tenant?: string;
  /** Case-insensitive text in the URL, id, tenant or description. */
  search?: string;
  health?: (typeof endpointHealth)[number];
  sort?: (typeof endpointSorts)[number];
  limit: number;
  cursor?: string;
}

/**
 * One page of endpoints. Each order is a keyset on (sort key, id), so paging stays as cheap at
 * the ten-thousandth endpoint as at the first. The cursor is the last row's id whatever the
 * order (its key is read back from its row: a URL, which may hold credentials, never travels
 * in a cursor); a row whose key changed between two pages moves, as in any live list.
 */
export async function listEndpoints(ctx: Context, q: EndpointQuery) {
  const { sql } = ctx;
  const sort = q.sort ?? "created";
  // The URL without its credentials: what the list shows is what it searches and sorts by, so
  // neither can be used to guess a password one character at a time.
  const shownUrl = sql`regexp_replace(url, '^([a-z][a-z0-9+.-]*://)[^/?#]*@', '\\1', 'i')`;
  const key = {
    created: sql`id`,
    url: shownUrl,
    tenant: sql`coalesce(tenant, '')`,
    failures: sql`consecutive_failures`,
  }[sort];
  const descending = sort === "created" || sort === "failures";
  const after =
    q.cursor === undefined
      ? sql``
      : sql`and (${key}, id) ${sql.unsafe(descending ? "<" : ">")}
              (select ${key}, id from endpoints where id = ${q.cursor})`;
  const now = new Date(ctx.now());
  const health = {
    all: sql``,
    healthy: sql`and enabled and consecutive_failures = 0`,
    failing: sql`and consecutive_failures > 0`,
    circuit_open: sql`and (circuit_open_until > ${now}
                           or consecutive_failures >= ${ctx.config.circuitFailures})`,
    disabled: sql`and not enabled`,
  }[q.health ?? "all"];
  const text = q.search?.toLowerCase();
  const rows = await sql<EndpointRow[]>`
    select ${sql.unsafe(COLUMNS)} from endpoints
    where deleted_at is null
      ${q.tenant !== undefined ? sql`and tenant = ${q.tenant}` : sql``}
      ${
        text
          ? sql`and (strpos(lower(${shownUrl}), ${text}) > 0 or strpos(lower(id), ${text}) > 0
                     or strpos(lower(coalesce(tenant, '')), ${text}) > 0
                     or strpos(lower(coalesce(description, '')), ${text}) > 0)`
          : sql``
      }
      ${health}
      ${after}
    order by ${key} ${sql.unsafe(descending ? "desc" : "asc")}, id ${sql.unsafe(descending ? "desc" : "asc")}
    limit ${q.limit + 1}`;
  return keysetPage(
    rows,
    q.limit,
    (r) => r.id,
    (r) => endpointJson(ctx, r),
  );
}

/**
 * Changes the fields given. `enabled` works like POST …/enable and …/disable (true also
 * resets the circuit and wakes workers). Audited as endpoint.updated with the fields whose
 * value changed, and as endpoint.enabled / endpoint.disabled when `enabled` is given.
 */
export async function updateEndpoint(
  ctx: Context,
  caller: Caller,
  id: string,
  patch: EndpointPatch,
) {
  const { enabled, ...fields } = patch;
  if (fields.url !== undefined || fields.headers) {
    // What the caller may have read back redacted, and the URL's check (a DNS lookup: before
    // the row is locked).
    const [stored] = await ctx.sql<{ url: string; headers: Record<string, string> | null }[]>`
      select url, headers from endpoints
      where id = ${id} and deleted_at is null ${andTenant(ctx.sql, caller.tenant)}`;
    if (!stored) throw notFound("endpoint", id);
    unredact(fields, stored);
    if (fields.url !== undefined && fields.url !== stored.url) await checkUrl(ctx, fields.url);
  }
  const values = columnValues(ctx.sql, fields);
  const row = await ctx.sql.begin(async (tx) => {
    const [before] = await tx<EndpointRow[]>`
      select ${tx.unsafe(COLUMNS)} from endpoints
      where id = ${id} and deleted_at is null ${andTenant(tx, caller.tenant)} for update`;
    if (!before) throw notFound("endpoint", id);
    if (
      before.signature_scheme === "seed-000" &&
      (fields.signature_scheme ?? "seed-000") !== "seed-000"
    ) {
      // Another scheme signs with a whsec_ key: a seed shared secret is not one.
      const [stored] = await tx<
        { secret: string }[]
      >`select secret from endpoints where id = ${id}`;
      if (!isValidSecret(ctx.secrets.open((stored as { secret: string }).secret))) {
        throw new HeraldError(
          "invalid_request",
          `signature_scheme ${fields.signature_scheme} needs a whsec_ secret: rotate the secret to one first`,
        );
      }
    }
    const switched =
      enabled === undefined ? undefined : switchChange(ctx, caller.actor, before, enabled);
    const set = { ...values, ...switched?.set, updated_at: new Date(ctx.now()) };
    const [after] = await tx<EndpointRow[]>`
      update endpoints set ${tx(set)} where id = ${id} returning ${tx.unsafe(COLUMNS)}`;
    const updated = after as EndpointRow;
    const changed = SETTABLE.filter(
      (key) => JSON.stringify(before[key]) !== JSON.stringify(updated[key]),
    );
    const entries: AuditEntry[] = [];
    if (changed.length || !switched) {
      const changes = Object.fromEntries(changed.map((k) => [k, auditValue(k, updated[k])]));
      entries.push({
        actor: caller.actor,
        action: "endpoint.updated",
        subject: id,
        tenant: updated.tenant,
        details: { fields: changed, values: changes },
      });
    }
    if (switched) entries.push(switched.entry);
    await audit(tx, ...entries);
    if (enabled) await wakeWorkers(tx);
    if (enabled !== undefined && enabled !== before.enabled) {
      const event = switchedEvent(updated, enabled, ctx.now(), before.disabled_reason);
      await writeOpsEvents(tx, [event]);
    }
    return updated;
  });
  return endpointJson(ctx, row as EndpointRow);
}

/** Soft delete: the row stays for the history of its deliveries; its pending deliveries are cancelled. */
export async function deleteEndpoint(ctx: Context, caller: Caller, id: string): Promise<void> {
  await ctx.sql.begin(async (tx) => {
    const [row] = await tx<{ tenant: string | null }[]>`
      update endpoints set deleted_at = now(), legacy_url_key = null, updated_at = now()
      where id = ${id} and deleted_at is null ${andTenant(tx, caller.tenant)}
      returning tenant`;
    if (!row) throw notFound("endpoint", id);
    const cancelled = await cancelForEndpoint(tx, { endpointId: id });
    await audit(tx, {
      actor: caller.actor,
      action: "endpoint.deleted",
      subject: id,
      tenant: row.tenant,
      details: { cancelled_deliveries: cancelled },
    });
  });
}

/**
 * The endpoint that receives POST /events for one target_url: one per URL, made on first use
 * (then audited as created by "system": that route has no API key). With HERALD_SEED_SECRET it
 * signs the seed's way with that secret; an endpoint made before is switched on its first use
 * by this process (and back, with a new secret, when the variable is gone).
 */
export async function legacyEndpointFor(ctx: Context, url: string): Promise<string> {
  await checkUrl(ctx, url);
  const shared = ctx.config.seedSecret;
  const scheme: SignatureScheme = shared === undefined ? "standard-webhooks" : "seed-000";
  const secret = ctx.secrets.seal(shared ?? generateSecret());
  const [row] = await ctx.sql<{ id: string; created: boolean }[]>`
    insert into endpoints (id, url, description, event_types, secret, signature_scheme,
                           legacy_url_key)
    values (${newId("ep_")}, ${url}, 'created for POST /events target_url', '{}',
            ${secret}, ${scheme}, ${url})
    on conflict (legacy_url_key) do update
    set secret = case when ${shared !== undefined} or endpoints.signature_scheme = 'seed-000'
                      then excluded.secret else endpoints.secret end,
        signature_scheme = case when ${shared !== undefined} then 'seed-000'
                                when endpoints.signature_scheme = 'seed-000'
                                then 'standard-webhooks'
                                else endpoints.signature_scheme end,
        previous_secret = case when ${shared !== undefined} or endpoints.signature_scheme = 'seed-000'
                               then null else endpoints.previous_secret end
    returning id, xmax = 0 as created`;
  const { id, created } = row as { id: string; created: boolean };
  if (created) {
    await audit(ctx.sql, {
      actor: SYSTEM,
      action: "endpoint.created",
      subject: id,
      details: { url: auditValue("url", url), via: "POST /events target_url" },
    });
  }
  return id;
}

/**
 * Refuses `ids` unless each is a live endpoint of `tenant`. Those of another tenant are
 * reported as unknown, like missing ones: a tenant key must not learn that an id exists.
 */
export async function checkTargets(
  ctx: Context,
  ids: string[],
  tenant: string | null,
): Promise<void> {
  const rows = await ctx.sql<{ id: string }[]>`
    select id from endpoints
    where id = any(${ids}) and deleted_at is null and tenant is not distinct from ${tenant}`;
  const found = new Set(rows.map((r) => r.id));
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length) {
    throw new HeraldError(
      "invalid_request",
      "endpoint_ids has ids that are not live endpoints of this tenant",
      { unknown },
    );
  }
}
