// `herald` commands: serve (API + worker, or one role), keys and mock-receiver.
import cluster from "node:cluster";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import pino from "pino";
import { type Config, ConfigError, loadConfig, type Role } from "../config.ts";
import { isUnavailable } from "../db/connect.ts";
import { StartAborted } from "../db/wait.ts";
import { startHerald } from "../herald.ts";
import { startMockReceiver } from "../mock-receiver/server.ts";
import { KEYS_USAGE, keysCommand } from "./keys.ts";
import { OUTBOX_USAGE, outboxCommand } from "./outbox.ts";
import { processCount, STOP_MESSAGE, superviseProcesses } from "./processes.ts";
import {
  DELIVERIES_USAGE,
  deliveriesCommand,
  ENDPOINTS_USAGE,
  EVENTS_USAGE,
  endpointsCommand,
  eventsCommand,
  recoverCommand,
  replayCommand,
  SOURCES_USAGE,
  sourcesCommand,
} from "./resources.ts";

const SERVE_USAGE = `  herald serve [--role all|api|worker] [--port N] [--processes N|auto] [--allow-private-networks]
    Runs Herald: the API, the dashboard and the delivery worker (--role splits them), on the
    embedded PostgreSQL or DATABASE_URL. --processes N runs N processes sharing the port.`;
const MOCK_USAGE = `  herald mock-receiver [--port 4000] [--failure-rate 0.5] [--timeout-rate 0.1] [--latency-ms N] [--secret whsec_…]
    A webhook receiver for trying Herald out: fails, times out and answers slowly on demand.`;
const USAGE = `Usage:
${SERVE_USAGE}
${EVENTS_USAGE}
${DELIVERIES_USAGE}
${ENDPOINTS_USAGE}
${SOURCES_USAGE}
${KEYS_USAGE}
${OUTBOX_USAGE}
${MOCK_USAGE}
  herald --version

Configuration comes from the environment (see README: DATABASE_URL, HERALD_PORT, HERALD_API_KEY, …).`;

/** Each command's own help, for `herald <command> --help`. */
const HELP: Record<string, string> = {
  serve: SERVE_USAGE,
  keys: KEYS_USAGE,
  outbox: OUTBOX_USAGE,
  events: EVENTS_USAGE,
  endpoints: ENDPOINTS_USAGE,
  sources: SOURCES_USAGE,
  deliveries: DELIVERIES_USAGE,
  replay: DELIVERIES_USAGE,
  recover: DELIVERIES_USAGE,
  "mock-receiver": MOCK_USAGE,
};

type Operation = (
  args: string[],
  env: NodeJS.ProcessEnv,
  out: (t: string) => void,
) => Promise<void>;

/** The commands that talk to a running Herald's API. */
const OPERATIONS: Record<string, Operation> = {
  events: eventsCommand,
  endpoints: endpointsCommand,
  sources: sourcesCommand,
  deliveries: deliveriesCommand,
  replay: replayCommand,
  recover: recoverCommand,
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return String(pkg.version);
}

/**
 * SIGTERM/SIGINT run `stop` once; a second signal exits at once. A process supervised by
 * `--processes` also stops on its supervisor's message (a terminal's Ctrl+C reaches it as well,
 * and the supervisor's own signal would then be a second one).
 */
function onSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting without draining\n`);
      process.exit(1);
    }
    stopping = true;
    stop().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`error while stopping: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
  process.on("message", (message) => {
    if (message === STOP_MESSAGE && !stopping) handler("SIGTERM");
  });
}

/**
 * Starts something stoppable with signals handled from the start: one arriving while it waits
 * for its database ends the wait (resolving undefined); one arriving later stops it.
 */
async function untilStopped<T extends { stop(): Promise<void> }>(
  start: (signal: AbortSignal) => Promise<T>,
): Promise<T | undefined> {
  const aborting = new AbortController();
  const startedOrAborted = start(aborting.signal).catch((err) => {
    if (err instanceof StartAborted) return undefined;
    throw err;
  });
  onSignals(async () => {
    aborting.abort();
    await (await startedOrAborted)?.stop();
  });
  return startedOrAborted;
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      role: { type: "string", default: "all" },
      port: { type: "string" },
      processes: { type: "string" },
      "allow-private-networks": { type: "boolean" },
    },
  });
  const processes = processCount(values.processes);
  if (!["all", "api", "worker"].includes(values.role as string)) {
    throw new ConfigError(`--role must be all, api or worker, got "${values.role}"`);
  }
  const config = loadConfig(process.env, { role: values.role as Role });
  if (values.port) config.port = Number(values.port);
  if (values["allow-private-networks"] && process.env.HERALD_ALLOW_PRIVATE_NETWORKS === undefined) {
    config.allowPrivateNetworks = true;
  }
  const log = pino({
    level: config.logLevel,
    redact: ["req.headers.authorization", "secret", "*.secret", "apiKey", "*.apiKey"],
  });
  // postgres.js (3.4.9) starts a new connection's type lookup (fetchArrayTypes) without
  // handling its rejection: a connection lost during it ends up here, and would end the
  // process. The statement that needed the connection fails by itself and is handled where it
  // was made; anything else unhandled is a bug and still ends the process.
  process.on("unhandledRejection", (reason) => {
    if (!isUnavailable(reason)) throw reason;
    log.warn({ err: reason }, "a database connection was lost while opening");
  });
  if (processes > 1 && cluster.isPrimary) {
    return superviseMany(processes, values, config, log);
  }
  const herald = await untilStopped((signal) => startHerald(config, log, { signal }));
  if (!herald) return; // stopped by a signal before it started; the handler exits
  printStarted(log, config, herald.url, herald.embedded, herald.generatedKey);
  if (herald.metricsUrl) log.info({ url: herald.metricsUrl }, "metrics served without a key");
}

/** `serve --processes N`: this process supervises N that each run `serve` (cli/processes.ts). */
async function superviseMany(
  count: number,
  values: { role?: string; port?: string; "allow-private-networks"?: boolean },
  config: Config,
  log: pino.Logger,
): Promise<void> {
  const args = ["--role", values.role as string];
  if (values.port) args.push("--port", values.port);
  if (values["allow-private-networks"]) args.push("--allow-private-networks");
  const supervisor = await untilStopped((signal) =>
    superviseProcesses(count, args, config, log, signal),
  );
  if (!supervisor) return;
  const url = config.role === "worker" ? undefined : `http://${config.host}:${config.port}`;
  log.info(`supervising ${count} Herald processes (each logs its own start)`);
  printStarted(log, config, url, !config.databaseUrl, supervisor.generatedKey);
}

function printStarted(
  log: pino.Logger,
  config: Config,
  url: string | undefined,
  embedded: boolean,
  generatedKey: string | undefined,
): void {
  const parts = [
    `role ${config.role}`,
    embedded ? `embedded PostgreSQL in ${config.dataDir}` : "PostgreSQL from DATABASE_URL",
    config.allowPrivateNetworks
      ? "private networks ALLOWED (local trial; set HERALD_ALLOW_PRIVATE_NETWORKS=false in production)"
      : "private networks blocked",
  ];
  log.info({ url, role: config.role }, `Herald started: ${url ?? "(no API)"}, ${parts.join(", ")}`);
  if (generatedKey) {
    // Printed once, to the terminal only: the database keeps just its hash.
    process.stdout.write(
      `\n  Your Herald API key (shown once, stored hashed):\n\n    ${generatedKey}\n\n  Use it as: Authorization: Bearer <key>\n\n`,
    );
  }
}

async function mockReceiver(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string", default: "4000" },
      "failure-rate": { type: "string", default: "0" },
      "timeout-rate": { type: "string", default: "0" },
      "latency-ms": { type: "string", default: "0" },
      secret: { type: "string" },
    },
  });
  const num = (flag: string, v: string | undefined, max = Number.POSITIVE_INFINITY) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || n > max)
      throw new ConfigError(`--${flag} must be a number in [0, ${max}]`);
    return n;
  };
  const receiver = await startMockReceiver({
    port: num("port", values.port, 65535),
    failureRate: num("failure-rate", values["failure-rate"], 1),
    timeoutRate: num("timeout-rate", values["timeout-rate"], 1),
    latencyMs: num("latency-ms", values["latency-ms"]),
    secret: values.secret,
  });
  process.stdout.write(
    `mock receiver listening on ${receiver.url} (stats at ${receiver.url}/stats)\n`,
  );
  onSignals(() => receiver.close());
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === "--version" || command === "-v" || command === "version") {
    process.stdout.write(`herald ${version()}\n`);
  } else if (command && HELP[command] && (rest.includes("--help") || rest.includes("-h"))) {
    process.stdout.write(`Usage:\n${HELP[command]}\n`);
  } else if (command === "serve") await serve(rest);
  else if (command === "mock-receiver") await mockReceiver(rest);
  else if (command === "keys") await keysCommand(rest);
  else if (command === "outbox") {
    const relay = await outboxCommand(rest, process.env, (t) => process.stdout.write(t));
    if (relay) {
      onSignals(relay.stop);
      // Ends by itself only when Herald refuses its key: that is the error to show.
      relay.done.catch((err) => {
        process.stderr.write(`herald: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      });
    }
  } else if (command && Object.hasOwn(OPERATIONS, command)) {
    await (OPERATIONS[command] as Operation)(rest, process.env, (t) => process.stdout.write(t));
  } else {
    process.stdout.write(`${USAGE}\n`);
    process.exit(command === undefined || command === "help" || command === "--help" ? 0 : 2);
  }
} catch (err) {
  process.stderr.write(`herald: ${err instanceof Error ? err.message : String(err)}\n`);
  // Usage mistakes (bad values, unknown flags) exit 2; failures to run exit 1.
  const usage =
    err instanceof ConfigError ||
    String((err as { code?: unknown })?.code).startsWith("ERR_PARSE_ARGS");
  process.exit(usage ? 2 : 1);
}
