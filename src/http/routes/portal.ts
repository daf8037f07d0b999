// The merchant portal's routes: links made by admins, exchanged once for a cookie session
// (portal/sessions.ts), and GET /v1/me, which tells any caller who it is (the dashboard and the
// portal both ask).
import type { FastifyInstance, FastifyReply } from "fastify";
import type { TokenSigner } from "../../auth/tokens.ts";
import type { Context } from "../../context.ts";
import {
  COOKIE,
  createPortalSession,
  exchangeLink,
  MAX_SESSION_S,
  type PortalGrant,
  type SessionInput,
} from "../../portal/sessions.ts";
import { name } from "../schemas.ts";

export function portalRoutes(
  app: FastifyInstance,
  ctx: Context,
  signer: TokenSigner<PortalGrant>,
): void {
  const secure = ctx.config.publicUrl?.startsWith("https:") ?? false;
  // Framed by another site's page, a Strict cookie would never be sent: then None (which
  // browsers take only with Secure), partitioned by the framing site (CHIPS).
  const crossSite = secure && ctx.config.portalFrameAncestors.length > 0;
  const cookieOptions = {
    httpOnly: true,
    secure,
    sameSite: crossSite ? ("none" as const) : ("strict" as const),
    partitioned: crossSite,
    path: "/",
  };

  app.post<{ Body: SessionInput }>(
    "/v1/portal-sessions",
    {
      config: { operator: true },
      schema: {
        body: {
          type: "object",
          required: ["tenant"],
          additionalProperties: false,
          properties: {
            tenant: name,
            expires_in: { type: "integer", minimum: 60, maximum: MAX_SESSION_S },
            read_only: { type: "boolean" },
          },
        },
      },
    },
    async (req, reply) => {
      const origin = ctx.config.publicUrl ?? `${req.protocol}://${req.host}`;
      reply.code(201);
      return createPortalSession(ctx, req.caller, req.body, origin);
    },
  );

  app.post<{ Body: { token: string } }>(
    "/portal/session",
    {
      schema: {
        body: {
          type: "object",
          required: ["token"],
          additionalProperties: false,
          properties: { token: { type: "string", maxLength: 100 } },
        },
      },
    },
    async (req, reply) => {
      const { cookie, expires } = await exchangeLink(ctx, signer, req.body.token);
      reply.setCookie(COOKIE, cookie, { ...cookieOptions, expires });
      return { expires_at: expires.toISOString() };
    },
  );

  app.post("/portal/logout", async (_req, reply: FastifyReply) => {
    reply.clearCookie(COOKIE, cookieOptions);
    reply.code(204).send();
  });

  app.get("/v1/me", async (req) => ({
    id: req.principal.keyId,
    scope: req.principal.scope,
    tenant: req.principal.tenant,
    portal: req.portalSession
      ? {
          name: ctx.config.portalName,
          accent: ctx.config.portalAccent,
          expires_at: new Date(req.portalSession.e).toISOString(),
        }
      : null,
  }));
}
