// `herald serve` as a real process: graceful SIGTERM (stop claiming, finish or abort the
// attempts in flight, record them, exit 0), the api and worker roles, and the health routes.
import assert from "node:assert/strict";
import { once } from "node:events";
import type { ServerResponse } from "node:http";
import { connect } from "node:net";
import { afterEach, beforeEach, describe, test } from "node:test";
import { API_KEY, callApi, migratedDatabase, waitFor } from "../helpers.ts";
import { type Exit, type HeraldProcess, spawnHerald } from "../support/processes.ts";
import { type Receiver, startReceiver } from "../support/receiver.ts";

const running: HeraldProcess[] = [];

/** Starts `herald serve --role <role>` as a child process; resolves once it logged its start. */
async function serve(
  role: "all" | "api" | "worker",
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<HeraldProcess> {
  const child = await spawnHerald(["--role", role], {
    DATABASE_URL: databaseUrl,
    HERALD_API_KEY: API_KEY,
    HERALD_POLL_INTERVAL_MS: "100",
    ...env,
  });
  running.push(child);
  return child;
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

describe("herald serve", () => {
  let db: Awaited<ReturnType<typeof migratedDatabase>>;
  const receivers: Receiver[] = [];

  // A database per test: no test's leftover deliveries reach another test's worker.
  beforeEach(async () => {
    db = await migratedDatabase();
  });
  afterEach(async () => {
    // No process outlives its test: the next test must not find another worker running.
    await Promise.all(running.splice(0).map((child) => child.kill()));
    for (const r of receivers.splice(0)) await r.close();
    await db?.drop();
  });

  /** A receiver at `url` that holds every request until the test answers it (or never). */
  async function receiver(): Promise<{ url: string; held: ServerResponse[]; seen(): string[] }> {
    const held: ServerResponse[] = [];
    const r = await startReceiver((_n, res) => {
      held.push(res);
    });
    receivers.push(r);
    return { url: `${r.url}/hook`, held, seen: () => r.webhookIds() };
  }

  async function endpoint(base: string, url: string): Promise<string> {
    const res = await callApi(base, "POST", "/v1/endpoints", { url });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id;
  }

  async function event(base: string, endpointId: string, id: string): Promise<void> {
    const res = await callApi(base, "POST", "/v1/events", {
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
      select d.id, d.status, d.attempts, q.worker_id
      from all_deliveries d join events e on e.seq = d.event_seq
      left join deliveries q on q.id = d.id where e.id = ${eventId}`;
    assert.ok(row, `a delivery for ${eventId}`);
    const attempts = await db.sql<
      { number: number; status_code: number | null; error_kind: string | null }[]
    >`
      select number, status_code, error_kind from attempts where delivery_id = ${row.id}
      order by number, id`;
    return { ...row, attempts: attempts.map((a) => ({ ...a })) };
  }

  /** Starts `herald serve` (role all, with `env`) and gets one attempt, of event `id`, held. */
  async function attemptInFlight(id: string, env: Record<string, string>) {
    const rx = await receiver();
    const herald = await serve("all", db.url, env);
    const ep = await endpoint(herald.url, rx.url);
    await event(herald.url, ep, id);
    await waitFor(() => rx.held.length === 1, 10_000, "the attempt to reach the receiver");
    return { rx, herald, ep };
  }

  test("SIGTERM stops claiming, lets the attempt in flight finish, records it and exits 0", async () => {
    // One slot: while the first attempt is in flight, the second event must wait in pending.
    const { rx, herald, ep } = await attemptInFlight("evt_term_in_flight", {
      HERALD_WORKER_CONCURRENCY: "1",
      HERALD_TIMEOUT_MS: "10000",
    });
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
    assert.ok(herald.alive(), "still running: the attempt in flight is not finished");
    rx.held[0]?.writeHead(200).end("ok");

    const exit = await exitWithin(herald, 15_000);
    assert.deepEqual(exit, { code: 0, signal: null }, herald.output());

    const done = await deliveryOf("evt_term_in_flight");
    assert.equal(done.status, "succeeded");
    assert.deepEqual(done.attempts, [{ number: 1, status_code: 200, error_kind: null }]);
    const waiting = await deliveryOf("evt_term_waiting");
    assert.equal(waiting.status, "pending", "nothing is claimed after SIGTERM");
    assert.equal(waiting.attempts.length, 0);
    assert.deepEqual(rx.seen(), ["evt_term_in_flight"]);
  });

  test("SIGTERM while the API still receives a request: the worker stops claiming all the same", async () => {
    const { rx, herald, ep } = await attemptInFlight("evt_term_slow_api", {
      HERALD_WORKER_CONCURRENCY: "1",
      HERALD_TIMEOUT_MS: "10000",
    });
    await event(herald.url, ep, "evt_term_after_slow_api");
    // A request whose body never finishes keeps the API from closing (until its timeout).
    const { hostname, port } = new URL(herald.url as string);
    const slow = connect(Number(port), hostname);
    await once(slow, "connect");
    slow.write(
      `POST /v1/events HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${API_KEY}\r\n` +
        "content-type: application/json\r\ncontent-length: 100\r\n\r\n{",
    );
    try {
      herald.proc.kill("SIGTERM");
      await waitFor(
        () =>
          fetch(`${herald.url}/health/live`).then(
            () => false,
            () => true,
          ),
        10_000,
        "the API to stop listening",
      );
      // The attempt in flight finishes while the API is still draining; its slot is free.
      rx.held[0]?.writeHead(200).end("ok");
      await waitFor(
        async () => (await deliveryOf("evt_term_slow_api")).status === "succeeded",
        10_000,
        "the attempt to be recorded",
      );
      await new Promise((r) => setTimeout(r, 500));
      const waiting = await deliveryOf("evt_term_after_slow_api");
      assert.equal(waiting.status, "pending", "nothing is claimed after SIGTERM");
      assert.equal(waiting.attempts.length, 0);
      assert.deepEqual(rx.seen(), ["evt_term_slow_api"]);
    } finally {
      slow.destroy();
    }
    assert.deepEqual(await exitWithin(herald, 15_000), { code: 0, signal: null }, herald.output());
  });

  test("SIGTERM past the shutdown grace aborts the attempt, puts it back to pending and exits 0", async () => {
    // The receiver never answers.
    const { herald } = await attemptInFlight("evt_term_hung", {
      HERALD_SHUTDOWN_GRACE_MS: "300",
      HERALD_TIMEOUT_MS: "60000",
    });

    herald.proc.kill("SIGTERM");
    // Far below the 60 s attempt timeout: only the grace period can have ended the attempt.
    const exit = await exitWithin(herald, 20_000);
    assert.deepEqual(exit, { code: 0, signal: null }, herald.output());

    const d = await deliveryOf("evt_term_hung");
    assert.equal(d.status, "pending", "not left in_flight until its lease expires");
    assert.equal(d.worker_id, null);
    assert.deepEqual(d.attempts, [{ number: 1, status_code: null, error_kind: "aborted" }]);
  });

  test("SIGTERM while a claim is in flight: the rows it brings back are attempted and recorded", async () => {
    const rx = await startReceiver();
    receivers.push(rx);
    const api = await serve("api", db.url);
    const ep = await endpoint(api.url, `${rx.url}/hook`);
    // An endpoint that has answered before: one claim takes all three (a new one is probed
    // one delivery at a time).
    await db.sql`update endpoints set last_success_at = now() where id = ${ep}`;
    for (const id of ["evt_claim_1", "evt_claim_2", "evt_claim_3"]) await event(api.url, ep, id);

    // Writes to deliveries wait behind this lock: the worker's first claim is sent and waits.
    const lock = await db.sql.reserve();
    try {
      await lock`begin`;
      await lock`lock table deliveries in exclusive mode`;
      const worker = await serve("worker", db.url);
      await waitFor(
        async () => {
          const [row] = await db.sql<{ n: number }[]>`
            select count(*)::int as n from pg_stat_activity
            where wait_event_type = 'Lock' and query like '%status = ''in_flight''%'`;
          return (row?.n ?? 0) > 0;
        },
        10_000,
        "the worker's claim to wait for the lock",
      );
      worker.proc.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 300));
      await lock`commit`;

      const exit = await exitWithin(worker, 15_000);
      assert.deepEqual(exit, { code: 0, signal: null }, worker.output());
      assert.doesNotMatch(worker.output(), /recording attempts failed/);
    } finally {
      lock.release();
    }
    for (const id of ["evt_claim_1", "evt_claim_2", "evt_claim_3"]) {
      const d = await deliveryOf(id);
      assert.equal(d.status, "succeeded", `${id} is not left in flight`);
      assert.deepEqual(d.attempts, [{ number: 1, status_code: 200, error_kind: null }]);
    }
  });

  test("--role api serves the API but delivers nothing", async () => {
    const rx = await receiver();
    const herald = await serve("api", db.url);
    const ep = await endpoint(herald.url, rx.url);
    await event(herald.url, ep, "evt_api_only");
    const got = await callApi(herald.url, "GET", "/v1/events/evt_api_only");
    assert.equal(got.status, 200);
    assert.equal(got.body.deliveries.length, 1);

    // Several poll intervals of a worker, were one running in this process.
    await new Promise((r) => setTimeout(r, 1_000));
    const d = await deliveryOf("evt_api_only");
    assert.equal(d.status, "pending");
    assert.equal(d.attempts.length, 0);
    assert.deepEqual(rx.seen(), []);
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
    assert.ok(worker.alive());
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
