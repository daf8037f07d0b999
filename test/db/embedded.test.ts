// `herald serve` with no DATABASE_URL runs its own PostgreSQL. These tests drive the real CLI
// as child processes on a private data folder and ports, the way a first-time user would:
// data must survive restarts, a Herald killed with SIGKILL must not leave the folder
// unusable, two Heralds must not share one folder, and a generated API key is shown once.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { API_KEY, callApi, waitFor } from "../helpers.ts";
import {
  freePort,
  type HeraldProcess,
  type SpawnOptions,
  spawnHerald,
} from "../support/processes.ts";

const START_TIMEOUT_MS = 90_000;

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

/** The pid of the postmaster recorded in the data folder, if any. */
function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const started: HeraldProcess[] = [];
const dataDirs: string[] = [];

/**
 * `herald serve` with its own PostgreSQL in `dataDir` (no DATABASE_URL), and the test key
 * unless Herald is to generate one.
 */
async function serve(
  dataDir: string,
  pgPort: number,
  opts: { generateKey?: boolean; waitFor?: SpawnOptions["waitFor"] } = {},
): Promise<HeraldProcess> {
  const p = await spawnHerald(
    [],
    {
      HERALD_DATA_DIR: dataDir,
      HERALD_PG_PORT: String(pgPort),
      ...(opts.generateKey ? {} : { HERALD_API_KEY: API_KEY }),
    },
    { waitFor: opts.waitFor, timeoutMs: START_TIMEOUT_MS },
  );
  started.push(p);
  return p;
}

/** Starts Herald, resolving once it logged its start, and checks /health/ready answers 200. */
async function startReady(
  dataDir: string,
  pgPort: number,
  opts?: { generateKey?: boolean },
): Promise<HeraldProcess> {
  const p = await serve(dataDir, pgPort, opts);
  const ready = await fetch(`${p.url}/health/ready`);
  assert.equal(ready.status, 200, await ready.text());
  return p;
}

/** SIGTERM, then the exit code, which must be 0 (a clean, drained stop). */
async function stopGracefully(p: HeraldProcess): Promise<void> {
  const { code } = await p.stop();
  assert.equal(code, 0, `herald exited with ${code}:\n${p.stderr()}`);
}

async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "herald-embedded-"));
  dataDirs.push(dir);
  return dir;
}

after(async () => {
  await Promise.all(started.map((p) => p.kill()));
  // A Herald killed above (or by a test) leaves its postmaster behind: stop it by its pid.
  for (const dir of dataDirs) {
    const pid = postmasterPid(dir);
    if (pid === undefined || !alive(pid)) continue;
    process.kill(pid, "SIGQUIT");
    await waitFor(() => !alive(pid), 10_000, "the orphan postmaster to exit").catch(() => {
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

    const ep = await callApi(first.url, "POST", "/v1/endpoints", {
      url: "http://127.0.0.1:9/restart",
      description: "survives restarts",
    });
    assert.equal(ep.status, 201, JSON.stringify(ep.body));

    await stopGracefully(first);
    assert.ok(!alive(pid), "a graceful stop also stops the postmaster");

    const second = await startReady(dataDir, pgPort);
    const got = await callApi(second.url, "GET", `/v1/endpoints/${ep.body.id}`);
    assert.equal(got.status, 200, JSON.stringify(got.body));
    assert.equal(got.body.url, "http://127.0.0.1:9/restart");
    assert.equal(got.body.description, "survives restarts");
    await stopGracefully(second);
  });

  test("kill -9 leaves the postmaster running; the next start shuts that orphan down and starts cleanly with the data intact", async () => {
    const first = await startReady(dataDir, pgPort);
    const ep = await callApi(first.url, "POST", "/v1/endpoints", {
      url: "http://127.0.0.1:9/kill9",
    });
    assert.equal(ep.status, 201, JSON.stringify(ep.body));
    const orphan = postmasterPid(dataDir);
    assert.ok(orphan, "postmaster.pid exists");

    await first.kill();
    assert.ok(alive(orphan), "the postmaster outlives a Herald killed with SIGKILL");

    const second = await startReady(dataDir, pgPort);
    assert.ok(!alive(orphan), "the orphan postmaster was shut down");
    const fresh = postmasterPid(dataDir);
    assert.ok(fresh && fresh !== orphan && alive(fresh), "a new postmaster runs");
    assert.match(second.stdout(), /left running by a previous Herald/);

    const got = await callApi(second.url, "GET", `/v1/endpoints/${ep.body.id}`);
    assert.equal(got.status, 200, JSON.stringify(got.body));
    assert.equal(got.body.url, "http://127.0.0.1:9/kill9");
    await stopGracefully(second);
    assert.ok(!alive(fresh), "nothing left running after a graceful stop");
  });

  test("a second Herald on the same data folder refuses to start while the first keeps running", async () => {
    const first = await startReady(dataDir, pgPort);
    const pid = postmasterPid(dataDir);
    assert.ok(pid && alive(pid));

    const second = await serve(dataDir, pgPort, { waitFor: "spawned" });
    const { code } = await second.exited;
    assert.notEqual(code, 0, "the second Herald exits with an error");
    assert.match(second.stderr(), /belongs to a running Herald/);
    assert.match(second.stderr(), new RegExp(`pid ${first.proc.pid}`));

    assert.ok(first.alive(), "the first Herald is still running");
    assert.ok(alive(pid), "its postmaster was left alone");
    assert.equal((await fetch(`${first.url}/health/ready`)).status, 200);
    const ep = await callApi(first.url, "POST", "/v1/endpoints", {
      url: "http://127.0.0.1:9/still",
    });
    assert.equal(ep.status, 201, JSON.stringify(ep.body));
    await stopGracefully(first);
  });
});

describe("API key generation", () => {
  test("a generated API key is printed once, on the first start only, and it works", async () => {
    const dataDir = await newDataDir();
    const pgPort = await freePort();

    const first = await startReady(dataDir, pgPort, { generateKey: true });
    // The banner is written right after the server starts listening; give it a moment.
    await waitFor(() => /hk_/.test(first.stdout()), 10_000, "the API key banner");
    const key = first.stdout().match(/\bhk_[A-Za-z0-9_-]+/)?.[0];
    assert.ok(key, first.stdout());
    assert.equal(first.stdout().split(key).length - 1, 1, "the key is printed exactly once");
    const withKey = (k: string) => ({ authorization: `Bearer ${k}` });
    assert.equal(
      (await callApi(first.url, "GET", "/v1/endpoints", undefined, withKey(key))).status,
      200,
    );
    assert.equal(
      (await callApi(first.url, "GET", "/v1/endpoints", undefined, withKey("hk_wrong"))).status,
      401,
    );
    await stopGracefully(first);

    const second = await startReady(dataDir, pgPort, { generateKey: true });
    await stopGracefully(second);
    assert.doesNotMatch(second.stdout(), /hk_/, "no key printed on the second start");
    assert.match(second.stdout(), /Herald started/);
  });
});
