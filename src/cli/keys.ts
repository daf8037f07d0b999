// `herald keys create|list|revoke`: the key API from a terminal. It talks to a running Herald
// (--url, else HERALD_URL, else this machine's HERALD_PORT) with an admin key (--key, else
// HERALD_API_KEY), so it works the same for the embedded database and for DATABASE_URL.
import { parseArgs } from "node:util";
import { ConfigError } from "../config.ts";
import { client } from "./client.ts";

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
  const api = client(values, env);

  switch (sub) {
    case "create": {
      if (!values.name || !values.scope) throw new ConfigError("--name and --scope are needed");
      const made = (await api.call("POST", "/v1/api-keys", {
        name: values.name,
        scope: values.scope,
        ...(values.tenant !== undefined ? { tenant: values.tenant } : {}),
        ...(values["expires-at"] !== undefined ? { expires_at: values["expires-at"] } : {}),
      })) as { key: string };
      const { key: secret, ...record } = made;
      out(
        `${JSON.stringify(record)}\n\n  The key (shown once, stored hashed):\n\n    ${secret}\n\n`,
      );
      return;
    }
    case "list": {
      for await (const k of api.all("/v1/api-keys")) out(`${JSON.stringify(k)}\n`);
      return;
    }
    case "revoke": {
      const [id] = positionals;
      if (!id || positionals.length > 1) throw new ConfigError("herald keys revoke KEY_ID");
      await api.call("DELETE", `/v1/api-keys/${encodeURIComponent(id)}`);
      out(`revoked ${id}\n`);
      return;
    }
    default:
      throw new ConfigError(`herald keys: create, list or revoke\n${KEYS_USAGE}`);
  }
}
