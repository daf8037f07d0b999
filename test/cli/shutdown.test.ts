// `herald serve` as a real process: graceful SIGTERM (stop claiming, finish or abort the
// attempts in flight, record them, exit 0), the api and worker roles, and the health routes.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createServer, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { afterEach, beforeEach, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { API_KEY, migratedDatabase, waitFor } from "../helpers.ts";

const HERALD_BIN = fileURLToPath(new URL("../../bin/herald.js", import.meta.url));

type Exit = { code: number | null; signal: NodeJS.Signals | null };

interface HeraldProcess {
  proc: ChildProcess;
  /** Base URL of its API (meaningless for --role worker). */
  url: string;
  output(): string;
  exited: Promise<Exit>;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

const running: HeraldProcess[] = [];

/** Starts `herald serve --role <role>` as a child process; resolves once it logged its start. */
async function serve(
  role: "all" | "api" | "worker",
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<HeraldProcess> {
  const port = await freePort();
  const proc = spawn(process.execPath, [HERALD_BIN, "serve", "--role", role], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HERALD_PORT: String(port),
      HERALD_HOST: "127.0.0.1",
      HERALD_API_KEY: API_KEY,
      HERALD_ALLOW_PRIVATE_NETWORKS: "true",
      HERALD_LOG_LEVEL: "info",
      HERALD_POLL_INTERVAL_MS: "100",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  proc.stderr?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise<Exit>((r) => proc.on("exit", (code, signal) => r({ code, signal })));
  const child = { proc, url: `http://127.0.0.1:${port}`, output: () => out, exited };
  running.push(child);
  await waitFor(
    () => {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`herald exited before starting:\n${out}`);
      }
      return out.includes("Herald started");
    },
    20_000,
    `herald --role ${role} to start`,
  );
  return child;
}

function alive(child: HeraldProcess): boolean {
  return child.proc.exitCode === null && child.proc.signalCode === null;
}

/** Waits for the child to exit, failing (with its output) if it takes longer than `ms`. */
async function exitWithin(child: HeraldProcess, ms: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`herald did not exit within ${ms} ms:\n${child.output()}`)),
      ms,
    );
  });
  try {
    return await Promise.race([child.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${API_KEY}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

interface Receiver {
  url: string;
  /** webhook-ids in the order their requests arrived. */
  seen: string[];
  /** Responses not answered yet, in arrival order. */
  held: ServerResponse[];
  close(): Promise<void>;
}

/** A loopback receiver that holds every request until the test answers it (or never). */
async function holdingReceiver(): Promise<Receiver> {
  const seen: string[] = [];
  const held: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      seen.push(String(req.headers["webhook-id"]));
      held.push(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    seen,
    held,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe("herald serve", () => {
  let db: Awaited<ReturnType<typeof migratedDatabase>>;
  const receivers: Receiver[] = [];

  // A database per test: no test's leftover deliveries reach another test's worker.
  beforeEach(async () => {
    db = await migratedDatabase();
  });
  afterEach(async () => {
    // No process outlives its test: the next test must not find another worker running.
    await Promise.all(
      running.splice(0).map(async (child) => {
        if (alive(child)) child.proc.kill("SIGKILL");
        await child.exited;
      }),
    );
    for (const r of receivers.splice(0)) await r.close();
    await db?.drop();
  });

  async function receiver(): Promise<Receiver> {
    const r = await holdingReceiver();
    receivers.push(r);
    return r;
  }

  async function endpoint(base: string, url: string): Promise<string> {
    const res = await call(base, "POST", "/v1/endpoints", { url });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id;
  }

  async function event(base: string, endpointId: string, id: string): Promise<void> {
    const res = await call(base, "POST", "/v1/events", {
      id,
      type: "shutdown.test",
      payload: { id },
      endpoint_ids: [endpointId],
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
  }

  async function deliveryOf(eventId: string) {
    const [row] = await db.sql<
      { id: string; status: string; attempts: number; worker_id: string | null }[]
    >`
      select d.id, d.status, d.attempts, d.worker_id
      from deliveries d join events e on e.seq = d.event_seq where e.id = ${eventId}`;
    assert.ok(row, `a delivery for ${eventId}`);
    const attempts = await db.sql<
      { number: number; status_code: number | null; error_kind: string | null }[]
    >`
      select number, status_code, error_kind from attempts where delivery_id = ${row.id}
      order by number, id`;
    return { ...row, attempts: attempts.map((a) => ({ ...a })) };
  }

  test("SIGTERM stops claiming, lets the attempt in flight finish, records it and exits 0", async () => {
    const rx = await receiver();
    // One slot: while the first attempt is in flight, the second event must wait in pending.
    const herald = await serve("all", db.url, {
      HERALD_WORKER_CONCURRENCY: "1",
      HERALD_TIMEOUT_MS: "10000",
    });
    const ep = await endpoint(herald.url, rx.url);
    await event(herald.url, ep, "evt_term_in_flight");
    await waitFor(() => rx.held.length === 1, 10_000, "the attempt to reach the receiver");
    await event(herald.url, ep, "evt_term_waiting");

    herald.proc.kill("SIGTERM");
    // The API closes first: once it refuses connections, the process is shutting down.
    await waitFor(
      () =>
        fetch(`${herald.url}/health/live`).then(
          () => false,
          () => true,
        ),
      10_000,
      "the API to close",
    );
    assert.ok(alive(herald), "still running: the attempt in flight is not finished");
    rx.held[0]?.writeHead(200).end("ok");

    const exit = await exitWithin(herald, 15_000);
    assert.deepEqual(exit, { code: 0, signal: null }, herald.output());

    const done = await deliveryOf("evt_term_in_flight");
    assert.equal(done.status, "succeeded");
    assert.deepEqual(done.attempts, [{ number: 1, status_code: 200, error_kind: null }]);
    const waiting = await deliveryOf("evt_term_waiting");
    assert.equal(waiting.status, "pending", "nothing is claimed after SIGTERM");
    assert.equal(waiting.attempts.length, 0);
    assert.deepEqual(rx.seen, ["evt_term_in_flight"]);
  });

  test("SIGTERM past the shutdown grace aborts the attempt, puts it back to pending and exits 0", async () => {
    const rx = await receiver(); // never answers
    const herald = await serve("all", db.url, {
      HERALD_SHUTDOWN_GRACE_MS: "300",
      HERALD_TIMEOUT_MS: "60000",
    });
    const ep = await endpoint(herald.url, rx.url);
    await event(herald.url, ep, "evt_term_hung");
    await waitFor(() => rx.held.length === 1, 10_000, "the attempt to reach the receiver");

    herald.proc.kill("SIGTERM");
    // Far below the 60 s attempt timeout: only the grace period can have ended the attempt.
    const exit = await exitWithin(herald, 20_000);
    assert.deepEqual(exit, { code: 0, signal: null }, herald.output());

    const d = await deliveryOf("evt_term_hung");
    assert.equal(d.status, "pending", "not left in_flight until its lease expires");
    assert.equal(d.worker_id, null);
    assert.deepEqual(d.attempts, [{ number: 1, status_code: null, error_kind: "aborted" }]);
  });

  test("--role api serves the API but delivers nothing", async () => {
    const rx = await receiver();
    const herald = await serve("api", db.url);
    const ep = await endpoint(herald.url, rx.url);
    await event(herald.url, ep, "evt_api_only");
    const got = await call(herald.url, "GET", "/v1/events/evt_api_only");
    assert.equal(got.status, 200);
    assert.equal(got.body.deliveries.length, 1);

    // Several poll intervals of a worker, were one running in this process.
    await new Promise((r) => setTimeout(r, 1_000));
    const d = await deliveryOf("evt_api_only");
    assert.equal(d.status, "pending");
    assert.equal(d.attempts.length, 0);
    assert.deepEqual(rx.seen, []);
  });

  test("--role worker delivers but does not listen on HTTP", async () => {
    const rx = await receiver();
    const api = await serve("api", db.url);
    const ep = await endpoint(api.url, rx.url);
    await event(api.url, ep, "evt_worker_only");

    const worker = await serve("worker", db.url);
    await waitFor(() => rx.held.length === 1, 10_000, "the worker to deliver");
    rx.held[0]?.writeHead(200).end("ok");
    await waitFor(
      async () => (await deliveryOf("evt_worker_only")).status === "succeeded",
      10_000,
      "the delivery to succeed",
    );
    await assert.rejects(fetch(`${worker.url}/health/live`), "nothing listens on HERALD_PORT");
    assert.ok(alive(worker));
  });

  test("GET /health/live and /health/ready answer 200 without an API key", async () => {
    const herald = await serve("all", db.url);
    for (const path of ["/health/live", "/health/ready"]) {
      const res = await fetch(`${herald.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal((await res.json()).status, "ok");
    }
    const v1 = await fetch(`${herald.url}/v1/endpoints`);
    assert.equal(v1.status, 401, "the API itself still needs the key");
  });
});
