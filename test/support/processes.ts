// Real processes for the tests and the bench: loopback ports for them to listen on, and Herald
// itself as a child process (`node bin/herald.js serve …`), so that signals, exit codes and
// SIGKILL are the real thing. It imports nothing from src/: test/run.ts and bench/run.ts use it.
import { type ChildProcess, spawn } from "node:child_process";
import { type AddressInfo, createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** The encryption key of test Heralds on a shared database (32 bytes, hex). */
export const TEST_ENCRYPTION_KEY = "7e57".repeat(16);

const HERALD_BIN = fileURLToPath(new URL("../../bin/herald.js", import.meta.url));

/** A loopback port the OS just handed out and nothing listens on any more. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface HeraldProcess {
  proc: ChildProcess;
  /** Base URL of its API on HERALD_PORT (nothing listens there with --role worker). */
  url: string;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr interleaved in the order they arrived. */
  output(): string;
  /** Resolves once the process has exited and all of its output has been read. */
  exited: Promise<Exit>;
  alive(): boolean;
  /** SIGTERM (a graceful stop) unless it has exited already; resolves with how it exited. */
  stop(): Promise<Exit>;
  /** SIGKILL unless it has exited already; resolves with how it exited. */
  kill(): Promise<Exit>;
}

export interface SpawnOptions {
  /**
   * When the returned promise resolves:
   * - "started" (the default): once the log says "Herald started", which `herald serve` writes
   *   after its signal handlers are in place, so the process can be signalled from then on;
   * - "ready": once GET /health/ready answers 200 (for a log level above info);
   * - "spawned": at once.
   * If the process exits or the wait times out first, it is killed and the promise rejects.
   */
  waitFor?: "started" | "ready" | "spawned";
  timeoutMs?: number;
  /**
   * The environment the settings are laid over. By default ours without DATABASE_URL and any
   * HERALD_* variable, so that nothing from the shell that runs the tests reaches the child.
   */
  baseEnv?: NodeJS.ProcessEnv;
  /** Also copy the child's output to ours. */
  echo?: boolean;
  /** Flags for node itself, before the script (say `--cpu-prof`). */
  nodeArgs?: string[];
  /** The herald command before `args`: "serve" unless told (say "outbox"). */
  command?: string;
}

/** Our environment without database or Herald settings. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === "DATABASE_URL" || k.startsWith("HERALD_")) continue;
    env[k] = v;
  }
  // A test's Herald checks every answer against the OpenAPI document (http/responses.ts).
  env.HERALD_CHECK_RESPONSES = "1";
  return env;
}

/**
 * Runs `herald serve ...args` (or another command) with `env` on a free HERALD_PORT (unless `env` names one),
 * logging at info and with private networks allowed (tests deliver to loopback receivers).
 */
export async function spawnHerald(
  args: string[],
  env: Record<string, string>,
  options: SpawnOptions = {},
): Promise<HeraldProcess> {
  const { waitFor = "started", timeoutMs = 20_000, baseEnv = cleanEnv(), echo = false } = options;
  const nodeArgs = options.nodeArgs ?? [];
  const port = env.HERALD_PORT ?? String(await freePort());
  const command = options.command ?? "serve";
  const proc = spawn(process.execPath, [...nodeArgs, HERALD_BIN, command, ...args], {
    env: {
      ...baseEnv,
      HERALD_PORT: port,
      HERALD_LOG_LEVEL: "info",
      HERALD_ALLOW_PRIVATE_NETWORKS: "true",
      // On a shared database a fixed key, rather than one generated into ./.herald.
      ...(env.DATABASE_URL ? { HERALD_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY } : {}),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let all = "";
  proc.stdout?.setEncoding("utf8").on("data", (d: string) => {
    out += d;
    all += d;
    if (echo) process.stdout.write(d);
  });
  proc.stderr?.setEncoding("utf8").on("data", (d: string) => {
    err += d;
    all += d;
    if (echo) process.stderr.write(d);
  });
  const exited = new Promise<Exit>((r) =>
    proc.once("close", (code, signal) => r({ code, signal })),
  );
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  const send = (signal: NodeJS.Signals) => {
    if (alive()) proc.kill(signal);
    return exited;
  };
  const child: HeraldProcess = {
    proc,
    url: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stderr: () => err,
    output: () => all,
    exited,
    alive,
    stop: () => send("SIGTERM"),
    kill: () => send("SIGKILL"),
  };
  if (waitFor === "spawned") return child;

  const what = `herald ${command} ${args.join(" ")}`.trim();
  const polling = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} was not ${waitFor} within ${timeoutMs} ms:\n${all}`)),
      timeoutMs,
    );
  });
  const exitedEarly = exited.then((exit) => {
    throw new Error(`${what} exited (${JSON.stringify(exit)}) before it was ${waitFor}:\n${all}`);
  });
  const reached =
    waitFor === "started" ? logged(child, "Herald started") : ready(child.url, polling.signal);
  try {
    await Promise.race([reached, exitedEarly, timeout]);
  } catch (error) {
    await child.kill();
    throw error;
  } finally {
    polling.abort();
    clearTimeout(timer);
    exitedEarly.catch(() => {});
  }
  return child;
}

/** Resolves once the child's output contains `text`. */
function logged(child: HeraldProcess, text: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!child.output().includes(text)) return;
      child.proc.stdout?.off("data", check);
      child.proc.stderr?.off("data", check);
      resolve();
    };
    child.proc.stdout?.on("data", check);
    child.proc.stderr?.on("data", check);
    check();
  });
}

/** Resolves once GET /health/ready answers 200; asks every 50 ms until `signal` aborts. */
async function ready(url: string, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const res = await fetch(`${url}/health/ready`).catch(() => undefined);
    await res?.arrayBuffer();
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
