// Secret rotation: the new secret signs at once; the previous one keeps signing beside it for
// the grace period (HERALD_ROTATION_GRACE), so receivers can switch without dropping a request.
import { audit } from "../audit/log.ts";
import { andTenant, type Caller } from "../auth/access.ts";
import type { Context } from "../context.ts";
import { HeraldError, notFound } from "../errors.ts";
import { generateSecret } from "../signing/standard-webhooks.ts";
import { checkSecret, type SignatureScheme } from "./policy.ts";

/**
 * Makes `given` (or a generated secret) the endpoint's secret. The old one becomes the
 * previous secret until `rotationGraceMs` from now. One previous secret only: rotating again
 * within the grace period drops the older one. The audit entry never holds either secret.
 */
export async function rotateSecret(ctx: Context, caller: Caller, id: string, given?: string) {
  const secret = given ?? generateSecret();
  const expiresAt = new Date(ctx.now() + ctx.config.rotationGraceMs);
  await ctx.sql.begin(async (tx) => {
    const [before] = await tx<
      { secret: string; tenant: string | null; signature_scheme: SignatureScheme }[]
    >`
      select secret, tenant, signature_scheme from endpoints
      where id = ${id} and deleted_at is null ${andTenant(tx, caller.tenant)} for update`;
    if (!before) throw notFound("endpoint", id);
    if (given !== undefined) checkSecret(given, before.signature_scheme);
    if (ctx.secrets.open(before.secret) === secret) {
      throw new HeraldError("invalid_request", "secret is the endpoint's current secret");
    }
    await tx`
      update endpoints
      set previous_secret = secret, previous_secret_expires_at = ${expiresAt},
          secret = ${ctx.secrets.seal(secret)}, updated_at = ${new Date(ctx.now())}
      where id = ${id}`;
    await audit(tx, {
      actor: caller.actor,
      action: "endpoint.secret_rotated",
      subject: id,
      tenant: before.tenant,
      details: {
        secret_generated: given === undefined,
        previous_secret_expires_at: expiresAt.toISOString(),
      },
    });
  });
  return { id, secret, previous_secret_expires_at: expiresAt.toISOString() };
}
