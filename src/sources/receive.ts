// Receiving one inbound webhook: verify, derive the event's id and type the provider's way,
// store it through the Ingestor (group commit) and answer only once it is committed.
// The stored payload is the raw body decoded as UTF-8 (byte-for-byte: the body is refused if
// it is not valid UTF-8), relayed with the content type it arrived with.
import { createHash } from "node:crypto";
import { audit, SYSTEM } from "../audit/log.ts";
import type { Context } from "../context.ts";
import { HeraldError } from "../errors.ts";
import type { Ingestor, IngestResult } from "../events/ingest.ts";
import { livePrevious } from "../secrets/grace.ts";
import { countRejected, findSource, type SourceRow } from "./store.ts";
import { type Headers, headerValue, standardHeader, verifySignature } from "./verify.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** 1–255 characters without NUL, like every id and type the API takes. */
const isName = (s: string) => s.length >= 1 && s.length <= 255 && !s.includes("\u0000");

function decode(body: Buffer): string {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new HeraldError("invalid_request", "The body is not valid UTF-8.");
  }
  // PostgreSQL text cannot hold NUL.
  if (text.includes("\u0000")) throw new HeraldError("invalid_request", "The body contains NUL.");
  return text;
}

function jsonField(text: string, field: string, integers = false): string | undefined {
  try {
    const v = (JSON.parse(text) as Record<string, unknown> | null)?.[field];
    if (integers && Number.isSafeInteger(v)) return String(v);
    return typeof v === "string" && v !== "" ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The provider's delivery id (idempotency key) and event type. */
function identify(src: SourceRow, headers: Headers, text: string): { key: string; type: string } {
  const o = src.options;
  let key: string | undefined;
  let type: string | undefined;
  switch (src.provider) {
    case "stripe":
      key = jsonField(text, "id");
      type = jsonField(text, "type");
      if (!key) throw new HeraldError("invalid_request", "The Stripe payload has no id.");
      break;
    case "github":
      key = headerValue(headers, "x-github-delivery");
      type = headerValue(headers, "x-github-event");
      if (!key) throw new HeraldError("invalid_request", "X-GitHub-Delivery is missing.");
      break;
    case "standard-webhooks":
      key = standardHeader(headers, "id");
      type = jsonField(text, "type");
      break;
    default:
      if (o.id_field) {
        key = jsonField(text, o.id_field, true);
        if (!key) throw new HeraldError("invalid_request", `The body has no ${o.id_field}.`);
      } else {
        key = o.id_header ? headerValue(headers, o.id_header) : `sha256:${sha256(text)}`;
        if (!key) throw new HeraldError("invalid_request", `${o.id_header} is missing.`);
      }
      if (o.type_field) type = jsonField(text, o.type_field);
  }
  type = type ?? o.event_type ?? "webhook";
  // The event id is scoped by the source: two sources may see the same provider id.
  const id = `${src.id}:${key}`;
  if (!isName(id)) throw new HeraldError("invalid_request", "The delivery id is too long.");
  if (!isName(type)) throw new HeraldError("invalid_request", "The event type is invalid.");
  return { key: id, type };
}

export async function receive(
  ctx: Context,
  ingestor: Ingestor,
  sourceId: string,
  headers: Headers,
  body: Buffer,
  traceContext?: string,
): Promise<IngestResult> {
  const src = await findSource(ctx.sql, sourceId);
  const secret = ctx.secrets.openNullable(src.secret);
  const previous = livePrevious(src, ctx.now());
  const verified = (key: string | null) =>
    verifySignature(src.provider, key, src.options, headers, body, ctx.now());
  // During a rotation's grace the provider may still sign with the previous secret.
  if (!verified(secret) && !(previous !== null && verified(ctx.secrets.open(previous)))) {
    await countRejected(ctx.sql, src.id, ctx.now());
    throw new HeraldError("invalid_signature");
  }
  const text = decode(body);
  const { key, type } = identify(src, headers, text);
  const contentType = headerValue(headers, "content-type");
  try {
    return await ingestor.submit({
      id: key,
      tenant: src.tenant,
      type,
      payload: text,
      source: src.id,
      contentType: contentType && contentType !== "application/json" ? contentType : null,
      endpointIds: src.endpoint_ids?.length ? src.endpoint_ids : undefined,
      traceContext,
    });
  } catch (err) {
    if (err instanceof HeraldError && err.code === "event_conflict") {
      const [stored] = await ctx.sql<{ payload_sha256: string }[]>`
        update events set conflicts = conflicts + 1
        where id = ${key} and tenant is not distinct from ${src.tenant}
        returning payload_sha256`;
      await ctx.sql`update sources set conflicts = conflicts + 1 where id = ${src.id}`;
      await audit(ctx.sql, {
        actor: SYSTEM,
        action: "source.conflict",
        subject: key,
        tenant: src.tenant,
        details: {
          source_id: src.id,
          event_id: key,
          stored_sha256: stored?.payload_sha256 ?? null,
          received_sha256: sha256(text),
        },
      });
    }
    throw err;
  }
}
