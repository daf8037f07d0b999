// `herald serve` with no DATABASE_URL runs its own PostgreSQL. These tests drive the real CLI
// as child processes on a private data folder and ports, the way a first-time user would:
// data must survive restarts, a Herald killed with SIGKILL must not leave the folder
// unusable, two Heralds must not share one folder, and a generated API key is shown once.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

const HERALD_BIN = fileURLToPath(new URL("../../bin/herald.js", import.meta.url));
const API_KEY = "embedded-test-key-0123456789";
const START_TIMEOUT_MS = 90_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Running, not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The pid of the postmaster recorded in the data folder, if any. */
function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

interface HeraldProcess {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the process exited and its output was read. */
  exited: Promise<number | null>;
}

const started: HeraldProcess[] = [];
const dataDirs: string[] = [];

/** The environment of a child Herald: ours without any database or Herald settings. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === "DATABASE_URL" || k.startsWith("HERALD_")) continue;
    env[k] = v;
  }
  return { ...env, HERALD_LOG_LEVEL: "info", ...extra };
}

async function spawnHerald(
  dataDir: string,
  pgPort: number,
  opts: { apiKey?: string } = { apiKey: API_KEY },
): Promise<HeraldProcess> {
  const port = await freePort();
  const env = childEnv({
    HERALD_DATA_DIR: dataDir,
    HERALD_PG_PORT: String(pgPort),
    HERALD_PORT: String(port),
    ...(opts.apiKey ? { HERALD_API_KEY: opts.apiKey } : {}),
  });
  const child = spawn(process.execPath, [HERALD_BIN, "serve"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    err += d;
  });
  const exited = new Promise<number | null>((r) => child.once("close", (code) => r(code)));
  const proc: HeraldProcess = {
    child,
    url: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stderr: () => err,
    exited,
  };
  started.push(proc);
  return proc;
}

function running(p: HeraldProcess): boolean {
  return p.child.exitCode === null && p.child.signalCode === null;
}

/** Waits for /health/ready to answer 200; fails at once if the process exits. */
async function ready(p: HeraldProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (!running(p)) {
      assert.fail(
        `herald exited (${p.child.exitCode}) before ready:\n${p.stderr()}\n${p.stdout()}`,
      );
    }
    const status = await fetch(`${p.url}/health/ready`)
      .then((r) => r.status)
      .catch(() => 0);
    if (status === 200) return;
    if (Date.now() > deadline) assert.fail(`herald not ready in time:\n${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startReady(
  dataDir: string,
  pgPort: number,
  opts?: { apiKey?: string },
): Promise<HeraldProcess> {
  const p = await spawnHerald(dataDir, pgPort, opts);
  await ready(p);
  return p;
}

/** SIGTERM, then the exit code, which must be 0 (a clean, drained stop). */
async function stopGracefully(p: HeraldProcess): Promise<void> {
  p.child.kill("SIGTERM");
  const code = await p.exited;
  assert.equal(code, 0, `herald exited with ${code}:\n${p.stderr()}`);
}

async function api(
  p: HeraldProcess,
  method: string,
  path: string,
  body?: unknown,
  key = API_KEY,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${p.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "herald-embedded-"));
  dataDirs.push(dir);
  return dir;
}

after(async () => {
  for (const p of started) if (running(p)) p.child.kill("SIGKILL");
  await Promise.all(started.map((p) => p.exited));
  // A Herald killed above (or by a test) leaves its postmaster behind: stop it by its pid.
  for (const dir of dataDirs) {
    const pid = postmasterPid(dir);
    if (pid === undefined || !alive(pid)) continue;
    process.kill(pid, "SIGQUIT");
    await waitUntil(() => !alive(pid), 10_000, "the orphan postmaster to exit").catch(() => {
      if (alive(pid)) process.kill(pid, "SIGKILL");
    });
  }
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
});

describe("embedded PostgreSQL under `herald serve`", () => {
  let dataDir: string;
  let pgPort: number;

  before(async () => {
    dataDir = await newDataDir();
    pgPort = await freePort();
  });

  test("starts an embedded PostgreSQL, answers /health/ready, and keeps data across a graceful restart", async () => {
    const first = await startReady(dataDir, pgPort);
    const pid = postmasterPid(dataDir);
    assert.ok(pid && alive(pid), "a postmaster runs on the data folder");

    const ep = await api(first, "POST", "/v1/endpoints", {
      url: "http://127.0.0.1:9/restart",
      description: "survives restarts",
    });
    assert.equal(ep.status, 201, JSON.stringify(ep.body));

    await stopGracefully(first);
    assert.ok(!alive(pid), "a graceful stop also stops the postmaster");

    const second = await startReady(dataDir, pgPort);
    const got = await api(second, "GET", `/v1/endpoints/${ep.body.id}`);
    assert.equal(got.status, 200, JSON.stringify(got.body));
    assert.equal(got.body.url, "http://127.0.0.1:9/restart");
    assert.equal(got.body.description, "survives restarts");
    await stopGracefully(second);
  });

  test("kill -9 leaves the postmaster running; the next start shuts that orphan down and starts cleanly with the data intact", async () => {
    const first = await startReady(dataDir, pgPort);
    const ep = await api(first, "POST", "/v1/endpoints", { url: "http://127.0.0.1:9/kill9" });
    assert.equal(ep.status, 201, JSON.stringify(ep.body));
    const orphan = postmasterPid(dataDir);
    assert.ok(orphan, "postmaster.pid exists");

    first.child.kill("SIGKILL");
    await first.exited;
    assert.ok(alive(orphan), "the postmaster outlives a Herald killed with SIGKILL");

    const second = await startReady(dataDir, pgPort);
    assert.ok(!alive(orphan), "the orphan postmaster was shut down");
    const fresh = postmasterPid(dataDir);
    assert.ok(fresh && fresh !== orphan && alive(fresh), "a new postmaster runs");
    assert.match(second.stdout(), /left running by a previous Herald/);

    const got = await api(second, "GET", `/v1/endpoints/${ep.body.id}`);
    assert.equal(got.status, 200, JSON.stringify(got.body));
    assert.equal(got.body.url, "http://127.0.0.1:9/kill9");
    await stopGracefully(second);
    assert.ok(!alive(fresh), "nothing left running after a graceful stop");
  });

  test("a second Herald on the same data folder refuses to start while the first keeps running", async () => {
    const first = await startReady(dataDir, pgPort);
    const pid = postmasterPid(dataDir);
    assert.ok(pid && alive(pid));

    const second = await spawnHerald(dataDir, pgPort);
    const code = await second.exited;
    assert.notEqual(code, 0, "the second Herald exits with an error");
    assert.match(second.stderr(), /belongs to a running Herald/);
    assert.match(second.stderr(), new RegExp(`pid ${first.child.pid}`));

    assert.ok(running(first), "the first Herald is still running");
    assert.ok(alive(pid), "its postmaster was left alone");
    assert.equal((await fetch(`${first.url}/health/ready`)).status, 200);
    const ep = await api(first, "POST", "/v1/endpoints", { url: "http://127.0.0.1:9/still" });
    assert.equal(ep.status, 201, JSON.stringify(ep.body));
    await stopGracefully(first);
  });
});

describe("API key generation", () => {
  test("a generated API key is printed once, on the first start only, and it works", async () => {
    const dataDir = await newDataDir();
    const pgPort = await freePort();

    const first = await startReady(dataDir, pgPort, {});
    // The banner is written right after the server starts listening; give it a moment.
    await waitUntil(() => /hk_/.test(first.stdout()), 10_000, "the API key banner");
    const key = first.stdout().match(/\bhk_[A-Za-z0-9_-]+/)?.[0];
    assert.ok(key, first.stdout());
    assert.equal(first.stdout().split(key).length - 1, 1, "the key is printed exactly once");
    assert.equal((await api(first, "GET", "/v1/endpoints", undefined, key)).status, 200);
    assert.equal((await api(first, "GET", "/v1/endpoints", undefined, "hk_wrong")).status, 401);
    await stopGracefully(first);

    const second = await startReady(dataDir, pgPort, {});
    await stopGracefully(second);
    assert.doesNotMatch(second.stdout(), /hk_/, "no key printed on the second start");
    assert.match(second.stdout(), /Herald started/);
  });
});
