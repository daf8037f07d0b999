// The event-type catalogue (/v1/event-types): names, descriptions and example payloads of what
// the platform sends. Admin keys change it (audited); every key reads it. It describes, it does
// not restrict: an event of a type not listed is accepted and delivered as any other.
import { audit } from "../audit/log.ts";
import type { Caller } from "../auth/access.ts";
import type { Context } from "../context.ts";
import { keysetPage, type Page } from "../db/paging.ts";
import { HeraldError } from "../errors.ts";

export interface EventTypeInput {
  name: string;
  description?: string;
  example?: unknown;
}

export type EventTypePatch = Partial<Omit<EventTypeInput, "name">>;

interface Row {
  name: string;
  description: string;
  example: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface EventTypeJson {
  name: string;
  description: string;
  example: unknown;
  created_at: string;
  updated_at: string;
}

function json(row: Row): EventTypeJson {
  return {
    name: row.name,
    description: row.description,
    example: row.example === null ? null : JSON.parse(row.example),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function notFound(name: string): HeraldError {
  return new HeraldError("event_type_not_found", `No event type named ${name}.`);
}

const example = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

export async function createEventType(
  ctx: Context,
  caller: Caller,
  input: EventTypeInput,
): Promise<EventTypeJson> {
  return ctx.sql.begin(async (tx) => {
    const [row] = await tx<Row[]>`
      insert into event_types (name, description, example)
      values (${input.name}, ${input.description ?? ""}, ${example(input.example)})
      on conflict (name) do nothing
      returning *`;
    if (!row) {
      throw new HeraldError("event_type_exists", `An event type named ${input.name} exists.`);
    }
    await audit(tx, { actor: caller.actor, action: "event_type.created", subject: row.name });
    return json(row);
  });
}

export async function updateEventType(
  ctx: Context,
  caller: Caller,
  name: string,
  patch: EventTypePatch,
): Promise<EventTypeJson> {
  return ctx.sql.begin(async (tx) => {
    const [row] = await tx<Row[]>`
      update event_types set
        description = coalesce(${patch.description ?? null}, description),
        example = case when ${"example" in patch} then ${example(patch.example)} else example end,
        updated_at = now()
      where name = ${name}
      returning *`;
    if (!row) throw notFound(name);
    await audit(tx, {
      actor: caller.actor,
      action: "event_type.updated",
      subject: name,
      details: { fields: Object.keys(patch) },
    });
    return json(row);
  });
}

export async function deleteEventType(ctx: Context, caller: Caller, name: string): Promise<void> {
  await ctx.sql.begin(async (tx) => {
    const [row] = await tx`delete from event_types where name = ${name} returning name`;
    if (!row) throw notFound(name);
    await audit(tx, { actor: caller.actor, action: "event_type.deleted", subject: name });
  });
}

export async function getEventType(ctx: Context, name: string): Promise<EventTypeJson> {
  const [row] = await ctx.sql<Row[]>`select * from event_types where name = ${name}`;
  if (!row) throw notFound(name);
  return json(row);
}

/** In name order; `prefix` keeps the names that start with it (the picker's search). */
export async function listEventTypes(
  ctx: Context,
  q: { limit: number; cursor?: string; prefix?: string },
): Promise<Page<EventTypeJson>> {
  const rows = await ctx.sql<Row[]>`
    select * from event_types
    where true
      ${q.cursor !== undefined ? ctx.sql`and name > ${q.cursor}` : ctx.sql``}
      ${q.prefix !== undefined ? ctx.sql`and starts_with(name, ${q.prefix})` : ctx.sql``}
    order by name
    limit ${q.limit + 1}`;
  return keysetPage(rows, q.limit, (r) => r.name, json);
}
