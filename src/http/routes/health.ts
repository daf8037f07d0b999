import type { FastifyInstance } from "fastify";
import type { Context } from "../../context.ts";
import { latestMigration, schemaVersion } from "../../db/migrate.ts";

export function healthRoutes(app: FastifyInstance, ctx: Context): void {
  app.get("/health/live", async () => ({ status: "ok" }));

  /** Ready when the database answers and carries this Herald's schema. */
  app.get("/health/ready", async (_req, reply) => {
    if (ctx.started === false) {
      reply.code(503);
      return { status: "unavailable", reason: "starting" };
    }
    try {
      const version = await schemaVersion(ctx.sql);
      if (version < latestMigration) {
        reply.code(503);
        return {
          status: "unavailable",
          reason: `schema at ${version}, expected ${latestMigration}`,
        };
      }
      return { status: "ok", schema: version };
    } catch {
      reply.code(503);
      return { status: "unavailable", reason: "database unreachable" };
    }
  });
}
