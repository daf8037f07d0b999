// Shared JSON Schema pieces for route validation (Fastify + Ajv).

/** Text without NUL (PostgreSQL text cannot hold it), 1–255 characters. */
export const name = {
  type: "string",
  minLength: 1,
  maxLength: 255,
  pattern: "^[^\\u0000]*$",
} as const;
export const nullableName = { ...name, type: ["string", "null"] } as const;

export const idParams = {
  type: "object",
  required: ["id"],
  properties: { id: name },
} as const;

/** ?limit= and ?cursor=, as strings (query coercion is off so bodies are never coerced). */
export const paging = {
  limit: { type: "string", pattern: "^[0-9]{1,4}$" },
  cursor: { type: "string", minLength: 1, maxLength: 255, pattern: name.pattern },
} as const;

export function pageLimit(raw: string | undefined): number {
  if (raw === undefined) return 50;
  return Math.min(500, Math.max(1, Number(raw)));
}

export interface PageQuery {
  limit?: string;
  cursor?: string;
}

/** An optional JSON body: absent, or an object with only these properties. */
export function optionalBody(properties: Record<string, unknown>) {
  return { type: ["object", "null"], additionalProperties: false, properties } as const;
}
