// `herald events send|get|list`, `herald endpoints create|list|get|delete|disable|enable|
// rotate|test`, `herald deliveries list|get|retry`, `herald replay`, `herald recover` and
// `herald sources create|list|get|update|rotate|delete`: the API's everyday operations from a
// terminal (cli/client.ts says where to).
// Output is for people, or one JSON document per record with --json.
import { parseArgs } from "node:util";
import { ConfigError } from "../config.ts";
import { CONNECTION_OPTIONS, client, type Env, type Out, row, show } from "./client.ts";

export const EVENTS_USAGE = `  herald events send --type TYPE --payload JSON [--id ID] [--tenant T]
  herald events get EVENT_ID [--tenant T]
  herald events list [--tenant T] [--type TYPE] [--status S]`;
export const DELIVERIES_USAGE = `  herald deliveries list [--status S] [--endpoint ENDPOINT_ID]
  herald deliveries get|retry DELIVERY_ID
  herald replay EVENT_ID [--tenant T] [--endpoint ENDPOINT_ID]
  herald recover ENDPOINT_ID --since TIME [--until TIME]`;
export const SOURCES_USAGE = `  herald sources create --name N --provider stripe|github|standard-webhooks|hmac|none
      [--secret S] [--tenant T] [--endpoints ep_1,ep_2] [--option header=X-HMAC-Signature …]
  herald sources update SOURCE_ID [--name N] [--secret S] [--endpoints ep_1,…] [--option k=v …]
      (--option, repeated, gives all the options: those not named are removed)
  herald sources rotate SOURCE_ID [--secret S]
      (the old secret is still accepted for the grace; update --secret replaces it at once)
  herald sources list [--tenant T]
  herald sources get|delete SOURCE_ID`;
export const ENDPOINTS_USAGE = `  herald endpoints create --url URL [--tenant T] [--types a.b,c.*] [--description D]
  herald endpoints list [--tenant T]
  herald endpoints get|delete|enable|rotate|test ENDPOINT_ID
  herald endpoints disable ENDPOINT_ID [--reason R]
    (both take --key KEY and --json, and Herald's address as --url for events, --herald-url for
     endpoints, whose --url is the endpoint's; defaults: HERALD_URL or
     http://127.0.0.1:$HERALD_PORT, HERALD_API_KEY)`;

const q = (params: Record<string, string | undefined>) => {
  const s = new URLSearchParams(
    Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined),
  ).toString();
  return s ? `?${s}` : "";
};

/** DELETE `path`, the record `id`, and say so. */
async function remove(
  api: ReturnType<typeof client>,
  path: string,
  id: string,
  out: Out,
  json: boolean | undefined,
): Promise<void> {
  await api.call("DELETE", path);
  out(json ? `${JSON.stringify({ id, deleted: true })}\n` : `deleted ${id}\n`);
}

function one(positionals: string[], usage: string): string {
  const [id] = positionals;
  if (!id || positionals.length > 1) throw new ConfigError(usage);
  return id;
}

export async function eventsCommand(args: string[], env: Env, out: Out): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      ...CONNECTION_OPTIONS,
      type: { type: "string" },
      payload: { type: "string" },
      id: { type: "string" },
      tenant: { type: "string" },
      status: { type: "string" },
    },
  });
  const api = client(values, env);
  const enc = encodeURIComponent;
  switch (sub) {
    case "send": {
      if (!values.type || values.payload === undefined) {
        throw new ConfigError("herald events send needs --type and --payload");
      }
      let payload: unknown;
      try {
        payload = JSON.parse(values.payload);
      } catch {
        throw new ConfigError("--payload must be JSON");
      }
      const body = { type: values.type, payload, id: values.id, tenant: values.tenant };
      show(out, values.json, await api.call("POST", "/v1/events", body));
      return;
    }
    case "get": {
      const id = one(positionals, "herald events get EVENT_ID");
      show(
        out,
        values.json,
        await api.call("GET", `/v1/events/${enc(id)}${q({ tenant: values.tenant })}`),
      );
      return;
    }
    case "list": {
      const path = `/v1/events${q({ tenant: values.tenant, type: values.type, status: values.status })}`;
      for await (const e of api.all(path))
        row(out, values.json, e, ["id", "type", "tenant", "created_at"]);
      return;
    }
    default:
      throw new ConfigError(`herald events: send, get or list\n${EVENTS_USAGE}`);
  }
}

export async function endpointsCommand(args: string[], env: Env, out: Out): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      ...CONNECTION_OPTIONS,
      url: { type: "string" },
      tenant: { type: "string" },
      types: { type: "string" },
      description: { type: "string" },
      reason: { type: "string" },
      "herald-url": { type: "string" },
    },
  });
  // --url names the endpoint's URL here; Herald's own is HERALD_URL or --herald-url.
  const api = client({ url: values["herald-url"], key: values.key }, env);
  const path = (id: string) => `/v1/endpoints/${encodeURIComponent(id)}`;
  const usage = `herald endpoints ${sub} ENDPOINT_ID`;
  switch (sub) {
    case "create": {
      if (!values.url) throw new ConfigError("herald endpoints create needs --url");
      const types = values.types
        ?.split(",")
        .map((t) => t.trim())
        .filter(Boolean);
      const made = await api.call("POST", "/v1/endpoints", {
        url: values.url,
        tenant: values.tenant,
        description: values.description,
        ...(types?.length ? { event_types: types } : {}),
      });
      show(out, values.json, made);
      if (!values.json) out("  The signing secret above is shown once.\n");
      return;
    }
    case "list":
      for await (const e of api.all(`/v1/endpoints${q({ tenant: values.tenant })}`)) {
        row(out, values.json, e, ["id", "url", "tenant", "enabled"]);
      }
      return;
    case "get":
      show(out, values.json, await api.call("GET", path(one(positionals, usage))));
      return;
    case "delete": {
      const id = one(positionals, usage);
      await remove(api, path(id), id, out, values.json);
      return;
    }
    case "disable": {
      const body = values.reason ? { reason: values.reason } : {};
      show(
        out,
        values.json,
        await api.call("POST", `${path(one(positionals, usage))}/disable`, body),
      );
      return;
    }
    case "enable":
    case "test":
      show(out, values.json, await api.call("POST", `${path(one(positionals, usage))}/${sub}`));
      return;
    case "rotate":
      show(
        out,
        values.json,
        await api.call("POST", `${path(one(positionals, usage))}/rotate-secret`),
      );
      return;
    default:
      throw new ConfigError(
        `herald endpoints: create, list, get, delete, disable, enable, rotate or test\n${ENDPOINTS_USAGE}`,
      );
  }
}

export async function deliveriesCommand(args: string[], env: Env, out: Out): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { ...CONNECTION_OPTIONS, status: { type: "string" }, endpoint: { type: "string" } },
  });
  const api = client(values, env);
  const path = (id: string) => `/v1/deliveries/${encodeURIComponent(id)}`;
  switch (sub) {
    case "list": {
      const query = q({ status: values.status, endpoint_id: values.endpoint });
      for await (const d of api.all(`/v1/deliveries${query}`)) {
        row(out, values.json, d, ["id", "event_id", "endpoint_id", "status", "attempts"]);
      }
      return;
    }
    case "get":
      show(
        out,
        values.json,
        await api.call("GET", path(one(positionals, "herald deliveries get DELIVERY_ID"))),
      );
      return;
    case "retry":
      show(
        out,
        values.json,
        await api.call(
          "POST",
          `${path(one(positionals, "herald deliveries retry DELIVERY_ID"))}/retry`,
        ),
      );
      return;
    default:
      throw new ConfigError(`herald deliveries: list, get or retry\n${DELIVERIES_USAGE}`);
  }
}

/** `herald replay EVENT_ID`: the event sent again, to all its endpoints or the ones named. */
export async function replayCommand(args: string[], env: Env, out: Out): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...CONNECTION_OPTIONS,
      tenant: { type: "string" },
      endpoint: { type: "string", multiple: true },
    },
  });
  const id = one(positionals, "herald replay EVENT_ID [--tenant T] [--endpoint ENDPOINT_ID]");
  const body = values.endpoint ? { endpoint_ids: values.endpoint } : undefined;
  const path = `/v1/events/${encodeURIComponent(id)}/replay${q({ tenant: values.tenant })}`;
  show(out, values.json, await client(values, env).call("POST", path, body));
}

/** `herald recover ENDPOINT_ID --since TIME`: an endpoint's failed deliveries queued again. */
export async function recoverCommand(args: string[], env: Env, out: Out): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...CONNECTION_OPTIONS, since: { type: "string" }, until: { type: "string" } },
  });
  const id = one(positionals, "herald recover ENDPOINT_ID --since TIME [--until TIME]");
  if (!values.since) throw new ConfigError("herald recover needs --since (an RFC 3339 time)");
  const body = { since: values.since, ...(values.until ? { until: values.until } : {}) };
  const path = `/v1/endpoints/${encodeURIComponent(id)}/recover`;
  show(out, values.json, await client(values, env).call("POST", path, body));
}

/** `--option k=v`, repeated: a source's options (header, digest, encoding, id_field, …). */
function sourceOptions(given: string[] | undefined): Record<string, string> | undefined {
  if (!given) return undefined;
  const options: Record<string, string> = {};
  for (const pair of given) {
    const at = pair.indexOf("=");
    if (at < 1) throw new ConfigError(`--option must be NAME=VALUE, got "${pair}"`);
    options[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return options;
}

export async function sourcesCommand(args: string[], env: Env, out: Out): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      ...CONNECTION_OPTIONS,
      name: { type: "string" },
      provider: { type: "string" },
      secret: { type: "string" },
      tenant: { type: "string" },
      endpoints: { type: "string" },
      option: { type: "string", multiple: true },
    },
  });
  const api = client(values, env);
  const path = (id: string) => `/v1/sources/${encodeURIComponent(id)}`;
  const usage = `herald sources ${sub} SOURCE_ID`;
  const fields = () => ({
    name: values.name,
    secret: values.secret,
    endpoint_ids: values.endpoints?.split(",").map((e) => e.trim()),
    options: sourceOptions(values.option),
  });
  switch (sub) {
    case "create": {
      if (!values.name || !values.provider) {
        throw new ConfigError("herald sources create needs --name and --provider");
      }
      const body = { ...fields(), provider: values.provider, tenant: values.tenant };
      show(out, values.json, await api.call("POST", "/v1/sources", body));
      if (!values.json) out("  Point the provider at ingest_url. A secret above is shown once.\n");
      return;
    }
    case "update": {
      const id = one(positionals, usage);
      const body = Object.fromEntries(Object.entries(fields()).filter((e) => e[1] !== undefined));
      if (!Object.keys(body).length) {
        throw new ConfigError(
          "herald sources update needs --name, --secret, --endpoints or --option",
        );
      }
      show(out, values.json, await api.call("PATCH", path(id), body));
      return;
    }
    case "rotate": {
      const body = values.secret === undefined ? undefined : { secret: values.secret };
      const rotated = await api.call(
        "POST",
        `${path(one(positionals, usage))}/rotate-secret`,
        body,
      );
      show(out, values.json, rotated);
      return;
    }
    case "list":
      for await (const s of api.all(`/v1/sources${q({ tenant: values.tenant })}`)) {
        row(out, values.json, s, ["id", "name", "provider", "tenant", "ingest_url"]);
      }
      return;
    case "get":
      show(out, values.json, await api.call("GET", path(one(positionals, usage))));
      return;
    case "delete": {
      const id = one(positionals, usage);
      await remove(api, path(id), id, out, values.json);
      return;
    }
    default:
      throw new ConfigError(
        `herald sources: create, update, rotate, list, get or delete\n${SOURCES_USAGE}`,
      );
  }
}
