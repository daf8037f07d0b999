// Sources: providers that send webhooks to POST /in/:source_id. Owns the sources table's SQL;
// every change is audited in the transaction that makes it. The secret is returned once, by
// the create call, and never again (as endpoint secrets).

import { randomBytes } from "node:crypto";
import { audit } from "../audit/log.ts";
import { andTenant, type Caller } from "../auth/access.ts";
import type { Context } from "../context.ts";
import type { Sql } from "../db/connect.ts";
import { keysetPage } from "../db/paging.ts";
import { checkTargets } from "../endpoints/store.ts";
import { HeraldError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { writeOpsEvents } from "../ops/notices.ts";
import { livePrevious } from "../secrets/grace.ts";
import { generateSecret, isValidSecret } from "../signing/standard-webhooks.ts";
import type { Provider, SourceOptions } from "./verify.ts";

export interface SourceRow {
  id: string;
  name: string;
  provider: Provider;
  secret: string | null;
  tenant: string | null;
  endpoint_ids: string[] | null;
  options: SourceOptions;
  rejected: string;
  conflicts: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface SourceInput {
  name: string;
  provider: Provider;
  secret?: string;
  tenant?: string | null;
  endpoint_ids?: string[] | null;
  options?: SourceOptions;
}

export type SourcePatch = Partial<Omit<SourceInput, "provider">>;

const COLUMNS =
  "id, name, provider, secret, tenant, endpoint_ids, options, rejected, conflicts, " +
  "previous_secret, previous_secret_expires_at, created_at, updated_at";
const HMAC_ONLY = ["header", "digest", "encoding", "prefix"] as const;

export function sourceJson(row: SourceRow, now: number) {
  const previousUntil = livePrevious(row, now) ? row.previous_secret_expires_at : null;
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    tenant: row.tenant,
    endpoint_ids: row.endpoint_ids,
    options: row.options,
    ingest_url: `/in/${row.id}`,
    rejected: Number(row.rejected),
    conflicts: Number(row.conflicts),
    previous_secret_expires_at: previousUntil?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** Checks a provider's secret and options together (the route schema checked their types). */
function checkSettings(provider: Provider, secret: string | null, options: SourceOptions): void {
  if (provider === "none" && secret !== null) {
    throw new HeraldError("invalid_request", "provider none takes no secret");
  }
  if (provider === "standard-webhooks" && secret !== null && !isValidSecret(secret)) {
    throw new HeraldError("invalid_request", "secret must be whsec_ + base64 of 24–64 bytes");
  }
  if (provider === "hmac" && !options.header) {
    throw new HeraldError("invalid_request", "provider hmac needs options.header");
  }
  if (provider !== "hmac") {
    const extra = HMAC_ONLY.filter((k) => options[k] !== undefined);
    if (extra.length) {
      throw new HeraldError("invalid_request", `options.${extra[0]} is only for provider hmac`);
    }
  }
  for (const k of ["id_header", "id_field", "type_field"] as const) {
    if (options[k] !== undefined && provider !== "hmac" && provider !== "none") {
      throw new HeraldError("invalid_request", `options.${k} is only for providers hmac and none`);
    }
  }
  if (options.id_header !== undefined && options.id_field !== undefined) {
    throw new HeraldError(
      "invalid_request",
      "options.id_header and options.id_field exclude each other",
    );
  }
}

/**
 * A secret when none is given. Stripe makes its own, shown only once the endpoint exists there
 * (which needs this source's URL): such a source refuses every request until it is PATCHed in.
 */
function defaultSecret(provider: Provider): string | null {
  switch (provider) {
    case "none":
    case "stripe":
      return null;
    case "standard-webhooks":
      return generateSecret();
    default:
      return randomBytes(32).toString("hex");
  }
}

async function checkEndpoints(
  ctx: Context,
  ids: string[] | null | undefined,
  tenant: string | null,
) {
  if (ids?.length) await checkTargets(ctx, ids, tenant);
}

export async function createSource(ctx: Context, caller: Caller, input: SourceInput) {
  const options = input.options ?? {};
  const secret = input.secret ?? defaultSecret(input.provider);
  checkSettings(input.provider, secret, options);
  const tenant = input.tenant ?? null;
  await checkEndpoints(ctx, input.endpoint_ids, tenant);
  const row = await ctx.sql.begin(async (tx) => {
    const [created] = await tx<SourceRow[]>`
      insert into sources (id, name, provider, secret, tenant, endpoint_ids, options)
      values (${newId("src_")}, ${input.name}, ${input.provider}, ${ctx.secrets.sealNullable(secret)}, ${tenant},
              ${input.endpoint_ids ?? null}, ${tx.json(options as Record<string, string>)})
      returning ${tx.unsafe(COLUMNS)}`;
    const src = created as SourceRow;
    await audit(tx, {
      actor: caller.actor,
      action: "source.created",
      subject: src.id,
      tenant: src.tenant,
      details: {
        name: src.name,
        provider: src.provider,
        tenant: src.tenant,
        endpoint_ids: src.endpoint_ids,
        options: src.options,
        secret_generated: input.secret === undefined && secret !== null,
      },
    });
    return src;
  });
  return { ...sourceJson(row, ctx.now()), secret };
}

/** The live source `id`, with its secret (for verification; never sent to a client). */
export async function findSource(sql: Sql, id: string, tenant?: string): Promise<SourceRow> {
  const [row] = await sql<SourceRow[]>`
    select ${sql.unsafe(COLUMNS)} from sources
    where id = ${id} and deleted_at is null ${andTenant(sql, tenant)}`;
  if (!row) throw notFound("source", id);
  return row;
}

export async function getSource(ctx: Context, id: string, tenant?: string) {
  return sourceJson(await findSource(ctx.sql, id, tenant), ctx.now());
}

export async function listSources(
  ctx: Context,
  q: { tenant?: string; limit: number; cursor?: string },
) {
  const { sql } = ctx;
  const rows = await sql<SourceRow[]>`
    select ${sql.unsafe(COLUMNS)} from sources
    where deleted_at is null
      ${q.tenant !== undefined ? sql`and tenant = ${q.tenant}` : sql``}
      ${q.cursor ? sql`and id < ${q.cursor}` : sql``}
    order by id desc limit ${q.limit + 1}`;
  return keysetPage(
    rows,
    q.limit,
    (r) => r.id,
    (r) => sourceJson(r, ctx.now()),
  );
}

/**
 * Changes the fields given; audited as source.updated with the names of the fields changed.
 * A new `secret` replaces the old one at once (a leaked secret stops working now) and ends a
 * rotation's grace; POST …/rotate-secret keeps the old one accepted for a while instead.
 */
export async function updateSource(ctx: Context, caller: Caller, id: string, patch: SourcePatch) {
  const row = await ctx.sql.begin(async (tx) => {
    const [before] = await tx<SourceRow[]>`
      select ${tx.unsafe(COLUMNS)} from sources
      where id = ${id} and deleted_at is null ${andTenant(tx, caller.tenant)} for update`;
    if (!before) throw notFound("source", id);
    const next = {
      name: patch.name ?? before.name,
      secret: patch.secret ?? ctx.secrets.openNullable(before.secret),
      tenant: patch.tenant === undefined ? before.tenant : patch.tenant,
      endpoint_ids: patch.endpoint_ids === undefined ? before.endpoint_ids : patch.endpoint_ids,
      options: patch.options ?? before.options,
    };
    checkSettings(before.provider, next.secret, next.options);
    await checkEndpoints(ctx, next.endpoint_ids, next.tenant);
    const [after] = await tx<SourceRow[]>`
      update sources set name = ${next.name}, secret = ${ctx.secrets.sealNullable(next.secret)}, tenant = ${next.tenant},
        ${patch.secret !== undefined ? tx`previous_secret = null, previous_secret_expires_at = null,` : tx``}
        endpoint_ids = ${next.endpoint_ids}, options = ${tx.json(next.options as Record<string, string>)},
        updated_at = now()
      where id = ${id} returning ${tx.unsafe(COLUMNS)}`;
    const fields = Object.keys(patch).filter(
      (k) => (patch as Record<string, unknown>)[k] !== undefined,
    );
    await audit(tx, {
      actor: caller.actor,
      action: "source.updated",
      subject: id,
      tenant: next.tenant,
      details: { fields },
    });
    return after as SourceRow;
  });
  return sourceJson(row, ctx.now());
}

/**
 * Makes `given` (or, for providers whose secret Herald may choose, a generated one) the
 * source's secret; the current one is still accepted until HERALD_ROTATION_GRACE from now.
 * One previous secret only: rotating again within the grace drops the older one. Stripe makes
 * its own secrets, so a Stripe source's rotation needs the one Stripe shows.
 */
export async function rotateSourceSecret(ctx: Context, caller: Caller, id: string, given?: string) {
  const expiresAt = new Date(ctx.now() + ctx.config.rotationGraceMs);
  return ctx.sql.begin(async (tx) => {
    const [before] = await tx<SourceRow[]>`
      select ${tx.unsafe(COLUMNS)} from sources
      where id = ${id} and deleted_at is null ${andTenant(tx, caller.tenant)} for update`;
    if (!before) throw notFound("source", id);
    if (before.provider === "none") {
      throw new HeraldError("invalid_request", "provider none takes no secret");
    }
    if (before.provider === "stripe" && given === undefined) {
      throw new HeraldError(
        "invalid_request",
        "Stripe makes the secret: give the new whsec_ secret Stripe shows",
      );
    }
    const secret = given ?? (defaultSecret(before.provider) as string);
    checkSettings(before.provider, secret, before.options);
    const current = ctx.secrets.openNullable(before.secret);
    if (current === secret) {
      throw new HeraldError("invalid_request", "secret is the source's current secret");
    }
    const [row] = await tx<SourceRow[]>`
      update sources
      set previous_secret = secret,
          previous_secret_expires_at = ${current === null ? null : expiresAt},
          secret = ${ctx.secrets.seal(secret)}, updated_at = ${new Date(ctx.now())}
      where id = ${id} returning ${tx.unsafe(COLUMNS)}`;
    await audit(tx, {
      actor: caller.actor,
      action: "source.secret_rotated",
      subject: id,
      tenant: before.tenant,
      details: {
        secret_generated: given === undefined,
        previous_secret_expires_at: current === null ? null : expiresAt.toISOString(),
      },
    });
    return { ...sourceJson(row as SourceRow, ctx.now()), secret };
  });
}

/** Soft delete: its events stay; POST /in/:id answers 404 from now on. */
export async function deleteSource(ctx: Context, caller: Caller, id: string): Promise<void> {
  await ctx.sql.begin(async (tx) => {
    const [row] = await tx<{ tenant: string | null }[]>`
      update sources set deleted_at = now(), updated_at = now()
      where id = ${id} and deleted_at is null ${andTenant(tx, caller.tenant)} returning tenant`;
    if (!row) throw notFound("source", id);
    await audit(tx, {
      actor: caller.actor,
      action: "source.deleted",
      subject: id,
      tenant: row.tenant,
    });
  });
}

/** Counts one request refused for its signature. */
/** source.rejected is announced at the first refusal, then at most once per this. */
const REJECTED_NOTICE_INTERVAL_S = 60;

/**
 * Counts a request refused for its signature, and announces it (source.rejected) when no
 * notice went out for the source in the last minute: with the refusals since the last one.
 * Refusals after a notice wait for the next refusal past the minute to be announced.
 */
export async function countRejected(sql: Sql, id: string, now: number): Promise<void> {
  await sql.begin(async (tx) => {
    const [row] = await tx<
      {
        tenant: string | null;
        name: string;
        provider: string;
        rejected: string;
        unannounced: string;
        since: Date | null;
        due: boolean;
      }[]
    >`
      update sources set rejected = rejected + 1, rejected_unannounced = rejected_unannounced + 1
      where id = ${id}
      returning tenant, name, provider, rejected, rejected_unannounced as unannounced,
                rejected_announced_at as since,
                coalesce(rejected_announced_at <= now() - ${REJECTED_NOTICE_INTERVAL_S} * interval '1 second',
                         true) as due`;
    if (!row?.due) return;
    await tx`
      update sources set rejected_unannounced = 0, rejected_announced_at = now() where id = ${id}`;
    await writeOpsEvents(tx, [
      {
        type: "source.rejected",
        id: `${id}.rejected.${now}`,
        tenant: row.tenant,
        payload: {
          source_id: id,
          tenant: row.tenant,
          name: row.name,
          provider: row.provider,
          rejected: Number(row.unannounced),
          since: row.since?.toISOString() ?? null,
          rejected_total: Number(row.rejected),
          at: new Date(now).toISOString(),
        },
      },
    ]);
  });
}
