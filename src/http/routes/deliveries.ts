import type { FastifyInstance } from "fastify";
import type { Context } from "../../context.ts";
import { deliveryStatuses, getDelivery, listDeliveries } from "../../delivery/queries.ts";
import { idParams, name, type PageQuery, pageLimit, paging } from "../schemas.ts";

export function deliveryRoutes(app: FastifyInstance, ctx: Context): void {
  app.get<{ Querystring: PageQuery & { status?: string; endpoint_id?: string } }>(
    "/v1/deliveries",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            ...paging,
            status: { type: "string", enum: deliveryStatuses },
            endpoint_id: name,
          },
        },
      },
    },
    async (req) =>
      listDeliveries(ctx, {
        status: req.query.status,
        endpointId: req.query.endpoint_id,
        tenant: req.caller.tenant,
        limit: pageLimit(req.query.limit),
        cursor: req.query.cursor,
      }),
  );

  app.get<{ Params: { id: string } }>(
    "/v1/deliveries/:id",
    { schema: { params: idParams } },
    async (req) => getDelivery(ctx, req.params.id, req.caller.tenant),
  );
}
