import type { FastifyInstance } from "fastify";
import type { Overview } from "../../stats/overview.ts";

export function statsRoutes(app: FastifyInstance, overview: Overview): void {
  app.get(
    "/v1/stats/overview",
    {
      config: { operator: true },
      schema: { querystring: { type: "object", additionalProperties: false, properties: {} } },
    },
    async () => overview.get(),
  );
}
