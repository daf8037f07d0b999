// POST /v1/events/batch: up to HERALD_MAX_BATCH_EVENTS events in one request and one commit.
// Each item is checked on its own (the same rules as POST /v1/events) and answered on its own,
// in request order: accepted, deduplicated, conflict, or invalid with its error; the valid ones
// are written together, in one statement and one transaction. The request as a whole is 200
// unless the body itself is wrong (400), over the limit (413) or the database is away (503).
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ownerTenant } from "../../auth/access.ts";
import type { Context } from "../../context.ts";
import { isUnavailable } from "../../db/connect.ts";
import { checkTargets } from "../../endpoints/store.ts";
import { HeraldError } from "../../errors.ts";
import { type EventInput, type IngestResult, writeEvents } from "../../events/ingest.ts";
import { newId } from "../../ids.ts";
import { EVENT_BODY } from "./events.ts";

interface Item {
  id?: string;
  type: string;
  tenant?: string | null;
  payload: unknown;
  endpoint_ids?: string[];
}

/** One event of a batch: the same schema as POST /v1/events's body. */
const ITEM = EVENT_BODY;

type ItemResult =
  | ({ status: "accepted" | "deduplicated" } & Omit<IngestResult, "deduplicated">)
  | { status: "conflict"; id: string; tenant: string | null; error: ErrorJson }
  | { status: "invalid"; error: ErrorJson };

interface ErrorJson {
  code: string;
  message: string;
  details?: unknown;
}

const errorJson = (err: HeraldError): ErrorJson => ({
  code: err.code,
  message: err.message,
  ...(err.details !== undefined ? { details: err.details } : {}),
});

export function eventBatchRoutes(app: FastifyInstance, ctx: Context): void {
  const limit = ctx.config.maxBatchEvents;
  app.post<{ Body: { events: unknown[] } }>(
    "/v1/events/batch",
    {
      bodyLimit: ctx.config.maxBatchBytes,
      schema: {
        body: {
          type: "object",
          required: ["events"],
          additionalProperties: false,
          // Items are checked one by one below: a bad one is its own error, not the batch's.
          properties: { events: { type: "array", minItems: 1 } },
        },
      },
      // The limit before anything else is read: the array's length, not each item.
      preValidation: async (req) => {
        const events = (req.body as { events?: unknown } | undefined)?.events;
        if (Array.isArray(events) && events.length > limit) {
          throw new HeraldError(
            "batch_too_large",
            `The batch has ${events.length} events; at most ${limit} (HERALD_MAX_BATCH_EVENTS).`,
          );
        }
      },
    },
    async (req) => {
      const results: (ItemResult | undefined)[] = new Array(req.body.events.length);
      const inputs: EventInput[] = [];
      const slots: number[] = [];
      await Promise.all(
        req.body.events.map(async (raw, i) => {
          try {
            inputs[i] = await itemInput(ctx, req, raw, i);
          } catch (err) {
            if (!(err instanceof HeraldError) || isUnavailable(err)) throw err;
            results[i] = { status: "invalid", error: errorJson(err) };
          }
        }),
      );
      // forEach skips the holes the invalid items left.
      const valid: EventInput[] = [];
      inputs.forEach((input, i) => {
        valid.push(input);
        slots.push(i);
      });
      let written: (IngestResult | HeraldError)[];
      try {
        written = valid.length ? await writeEvents(ctx.sql, valid) : [];
      } catch (err) {
        throw isUnavailable(err) ? new HeraldError("storage_unavailable") : err;
      }
      written.forEach((r, j) => {
        const input = valid[j] as EventInput;
        const i = slots[j] as number;
        if (r instanceof HeraldError) {
          results[i] =
            r.code === "event_conflict"
              ? { status: "conflict", id: input.id, tenant: input.tenant, error: errorJson(r) }
              : { status: "invalid", error: errorJson(r) };
          return;
        }
        const { deduplicated, ...event } = r;
        results[i] = { status: deduplicated ? "deduplicated" : "accepted", ...event };
      });
      const counts = { accepted: 0, deduplicated: 0, conflict: 0, invalid: 0 };
      for (const r of results) if (r) counts[r.status]++;
      ctx.metrics.ingest("batch", "accepted", counts.accepted);
      ctx.metrics.ingest("batch", "deduplicated", counts.deduplicated);
      ctx.metrics.ingest("batch", "conflict", counts.conflict);
      ctx.metrics.ingest("batch", "rejected", counts.invalid);
      return { data: results };
    },
  );
}

/** An item as the event it asks for; throws its HeraldError. */
async function itemInput(
  ctx: Context,
  req: FastifyRequest,
  raw: unknown,
  index: number,
): Promise<EventInput> {
  const validate = req.compileValidationSchema(ITEM);
  if (!validate(raw)) {
    const [first] = validate.errors ?? [];
    const where = `events/${index}${first?.instancePath ?? ""}`;
    throw new HeraldError("invalid_request", `${where} ${first?.message ?? "is invalid"}`);
  }
  const item = raw as Item;
  const payload = JSON.stringify(item.payload);
  if (Buffer.byteLength(payload) > ctx.config.maxPayloadBytes) {
    throw new HeraldError(
      "payload_too_large",
      `The payload is larger than ${ctx.config.maxPayloadBytes} bytes.`,
    );
  }
  const tenant = ownerTenant(req.principal, item.tenant);
  if (item.endpoint_ids) await checkTargets(ctx, item.endpoint_ids, tenant);
  return {
    id: item.id ?? newId("evt_"),
    tenant,
    type: item.type,
    payload,
    endpointIds: item.endpoint_ids,
    traceContext: req.ingestSpan?.traceparent,
  };
}
