import type { FastifyInstance } from "fastify";
import { listAudit } from "../../audit/log.ts";
import type { Context } from "../../context.ts";
import { name, type PageQuery, pageLimit, paging } from "../schemas.ts";

export function auditRoutes(app: FastifyInstance, ctx: Context): void {
  app.get<{ Querystring: PageQuery & { subject?: string; actor?: string; action?: string } }>(
    "/v1/audit",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { ...paging, subject: name, actor: name, action: name },
        },
      },
    },
    async (req) =>
      listAudit(ctx, {
        subject: req.query.subject,
        actor: req.query.actor,
        action: req.query.action,
        tenant: req.caller.tenant,
        limit: pageLimit(req.query.limit),
        cursor: req.query.cursor,
      }),
  );
}
