// Merchant portal sessions. POST /v1/portal-sessions (an admin key) makes a link for one tenant:
// `<public url>/portal/#token=hpl_…`. The token is in the fragment, which browsers never send,
// so it reaches no server or proxy log; the portal page posts it to POST /portal/session, which
// accepts each token once and within LINK_TTL_MS, and answers with the session cookie: a signed
// token (auth/tokens.ts) naming the session, its tenant, whether it is read-only and its expiry,
// so every later request is checked without a query. The cookie is httpOnly (no script reads
// it), SameSite=Strict (no other site's page sends it) unless the portal is framed by another
// site, and Secure when Herald's public URL is https. Requests it authenticates must also carry
// `X-Herald-Portal: 1`: a header no page of another origin can add without Herald's consent
// (CORS), so a cross-site form or script cannot act with the merchant's cookie.
import { randomBytes } from "node:crypto";
import { audit } from "../audit/log.ts";
import type { Caller, Principal } from "../auth/access.ts";
import { hashKey } from "../auth/api-keys.ts";
import { type Signed, TokenSigner } from "../auth/tokens.ts";
import type { Context } from "../context.ts";
import { HeraldError } from "../errors.ts";
import { newId } from "../ids.ts";

export const COOKIE = "herald_portal";
export const PORTAL_HEADER = "x-herald-portal";
/** A link must be opened within this (or before its session ends, if sooner). */
export const LINK_TTL_MS = 10 * 60_000;
export const DEFAULT_SESSION_S = 3_600;
export const MAX_SESSION_S = 86_400;

export interface PortalGrant extends Signed {
  /** Session id. */
  s: string;
  /** Tenant. */
  t: string;
  /** Read-only. */
  r: boolean;
}

export function portalSigner(ctx: Context): TokenSigner<PortalGrant> {
  return new TokenSigner("hps_", ctx.secrets.derive("portal sessions"), (v): v is PortalGrant => {
    const g = v as PortalGrant;
    return (
      typeof v === "object" &&
      v !== null &&
      typeof g.s === "string" &&
      typeof g.t === "string" &&
      typeof g.r === "boolean" &&
      typeof g.e === "number"
    );
  });
}

/** What a portal cookie lets its holder do: a tenant key's powers, under the session's id. */
export function portalPrincipal(grant: PortalGrant): Principal {
  return { keyId: grant.s, scope: grant.r ? "tenant:read" : "tenant", tenant: grant.t };
}

export interface SessionInput {
  tenant: string;
  expires_in?: number;
  read_only?: boolean;
}

export async function createPortalSession(
  ctx: Context,
  caller: Caller,
  input: SessionInput,
  origin: string,
) {
  const now = ctx.now();
  const expires = now + (input.expires_in ?? DEFAULT_SESSION_S) * 1_000;
  const linkExpires = Math.min(expires, now + LINK_TTL_MS);
  const token = `hpl_${randomBytes(24).toString("base64url")}`;
  const id = newId("ps_");
  const readOnly = input.read_only ?? false;
  await ctx.sql.begin(async (tx) => {
    await tx`
      insert into portal_sessions
        (id, tenant, read_only, link_hash, link_expires_at, expires_at, created_by)
      values (${id}, ${input.tenant}, ${readOnly}, ${hashKey(token)}, ${new Date(linkExpires)},
              ${new Date(expires)}, ${caller.actor})`;
    await audit(tx, {
      actor: caller.actor,
      action: "portal_session.created",
      subject: id,
      tenant: input.tenant,
      details: { read_only: readOnly, expires_at: new Date(expires).toISOString() },
    });
  });
  return {
    id,
    tenant: input.tenant,
    read_only: readOnly,
    url: `${origin}/portal/#token=${token}`,
    link_expires_at: new Date(linkExpires).toISOString(),
    expires_at: new Date(expires).toISOString(),
  };
}

/**
 * Accepts a link's token once: the cookie value and its expiry. Anything else (malformed,
 * unknown, used, expired) is the same 401, saying nothing of which.
 */
export async function exchangeLink(
  ctx: Context,
  signer: TokenSigner<PortalGrant>,
  token: string,
): Promise<{ cookie: string; expires: Date }> {
  const refused = new HeraldError("portal_link_invalid");
  if (!/^hpl_[A-Za-z0-9_-]{32}$/.test(token)) throw refused;
  const [row] = await ctx.sql<
    { id: string; tenant: string; read_only: boolean; expires_at: Date }[]
  >`
    update portal_sessions set exchanged_at = now()
    where link_hash = ${hashKey(token)} and exchanged_at is null
      and link_expires_at > ${new Date(ctx.now())} and expires_at > ${new Date(ctx.now())}
    returning id, tenant, read_only, expires_at`;
  if (!row) throw refused;
  const grant = { s: row.id, t: row.tenant, r: row.read_only, e: row.expires_at.getTime() };
  return { cookie: signer.sign(grant), expires: row.expires_at };
}
