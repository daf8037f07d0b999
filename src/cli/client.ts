// The CLI's way to a running Herald: --url, else HERALD_URL, else this machine's HERALD_PORT;
// --key, else HERALD_API_KEY. Errors are one line: what Herald said, or that it is unreachable.
import { ConfigError } from "../config.ts";

export type Env = Record<string, string | undefined>;
export type Out = (text: string) => void;

export interface Client {
  call(method: string, path: string, body?: unknown): Promise<unknown>;
  /** Every row of a paged list, page after page. */
  all(path: string): AsyncGenerator<unknown>;
}

/** The options every command that talks to Herald takes. */
export const CONNECTION_OPTIONS = {
  url: { type: "string" },
  key: { type: "string" },
  json: { type: "boolean" },
} as const;

/** Herald's base URL and the API key, from the flags or the environment. */
export function target(
  values: { url?: string; key?: string },
  env: Env,
): { base: string; key: string } {
  const base = (
    values.url ??
    env.HERALD_URL ??
    `http://127.0.0.1:${env.HERALD_PORT || env.PORT || 3000}`
  ).replace(/\/+$/, "");
  const key = values.key ?? env.HERALD_API_KEY;
  if (!key) throw new ConfigError("an API key is needed: --key or HERALD_API_KEY");
  return { base, key };
}

export function client(values: { url?: string; key?: string }, env: Env): Client {
  const { base, key } = target(values, env);
  const call = async (method: string, path: string, body?: unknown) => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (err) {
      throw new Error(`cannot reach Herald at ${base}: ${(err as Error).cause ?? err}`);
    }
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (!res.ok) throw new Error(`${res.status} ${json?.error?.code}: ${json?.error?.message}`);
    return json;
  };
  return {
    call,
    async *all(path) {
      let cursor: string | null = null;
      const sep = path.includes("?") ? "&" : "?";
      do {
        const page: { data: unknown[]; next_cursor: string | null } = await call(
          "GET",
          `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        );
        yield* page.data;
        cursor = page.next_cursor;
      } while (cursor);
    },
  };
}

/** A record as one JSON line (--json), or as `key: value` lines for a person. */
export function show(out: Out, json: boolean | undefined, value: unknown): void {
  if (json) {
    out(`${JSON.stringify(value)}\n`);
    return;
  }
  const lines = Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => `${k}: ${typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}`,
  );
  out(`${lines.join("\n")}\n\n`);
}

/** A list row: JSON (--json), or the chosen fields separated by two spaces. */
export function row(out: Out, json: boolean | undefined, value: unknown, fields: string[]): void {
  const r = value as Record<string, unknown>;
  out(json ? `${JSON.stringify(r)}\n` : `${fields.map((f) => String(r[f] ?? "-")).join("  ")}\n`);
}
