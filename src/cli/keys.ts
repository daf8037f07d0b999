// `herald keys create|list|revoke`: the key API from a terminal. It talks to a running Herald
// (--url, else HERALD_URL, else this machine's HERALD_PORT) with an admin key (--key, else
// HERALD_API_KEY), so it works the same for the embedded database and for DATABASE_URL.
import { parseArgs } from "node:util";
import { ConfigError } from "../config.ts";

export const KEYS_USAGE = `  herald keys create --name NAME --scope admin|admin:read|tenant|tenant:read [--tenant T] [--expires-at TIME]
  herald keys list
  herald keys revoke KEY_ID
    (each takes --url URL and --key ADMIN_KEY; defaults: HERALD_URL or http://127.0.0.1:$HERALD_PORT, HERALD_API_KEY)`;

type Out = (text: string) => void;

export async function keysCommand(
  args: string[],
  env: Record<string, string | undefined> = process.env,
  out: Out = (t) => process.stdout.write(t),
): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: sub === "revoke",
    options: {
      url: { type: "string" },
      key: { type: "string" },
      name: { type: "string" },
      scope: { type: "string" },
      tenant: { type: "string" },
      "expires-at": { type: "string" },
    },
  });
  const base = (
    values.url ??
    env.HERALD_URL ??
    `http://127.0.0.1:${env.HERALD_PORT || env.PORT || 3000}`
  ).replace(/\/+$/, "");
  const key = values.key ?? env.HERALD_API_KEY;
  if (!key) throw new ConfigError("an admin key is needed: --key or HERALD_API_KEY");
  const call = async (method: string, path: string, body?: unknown) => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body ? { "content-type": "application/json" } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch (err) {
      throw new Error(`cannot reach Herald at ${base}: ${(err as Error).cause ?? err}`);
    }
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (!res.ok) throw new Error(`${res.status} ${json?.error?.code}: ${json?.error?.message}`);
    return json;
  };

  switch (sub) {
    case "create": {
      if (!values.name || !values.scope) throw new ConfigError("--name and --scope are needed");
      const made = await call("POST", "/v1/api-keys", {
        name: values.name,
        scope: values.scope,
        ...(values.tenant !== undefined ? { tenant: values.tenant } : {}),
        ...(values["expires-at"] !== undefined ? { expires_at: values["expires-at"] } : {}),
      });
      const { key: secret, ...record } = made;
      out(
        `${JSON.stringify(record)}\n\n  The key (shown once, stored hashed):\n\n    ${secret}\n\n`,
      );
      return;
    }
    case "list": {
      let cursor: string | null = null;
      do {
        const page: { data: unknown[]; next_cursor: string | null } = await call(
          "GET",
          `/v1/api-keys?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        );
        for (const k of page.data) out(`${JSON.stringify(k)}\n`);
        cursor = page.next_cursor;
      } while (cursor);
      return;
    }
    case "revoke": {
      const [id] = positionals;
      if (!id || positionals.length > 1) throw new ConfigError("herald keys revoke KEY_ID");
      await call("DELETE", `/v1/api-keys/${encodeURIComponent(id)}`);
      out(`revoked ${id}\n`);
      return;
    }
    default:
      throw new ConfigError(`herald keys: create, list or revoke\n${KEYS_USAGE}`);
  }
}
