// `herald serve --processes N`: N processes sharing one port and the queue under a supervisor
// that restarts one that dies and, on SIGTERM, stops them all (each draining) and exits 0; its
// HERALD_METRICS_PORT answers for all the processes together.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { API_KEY, callApi, migratedDatabase, waitFor } from "../helpers.ts";
import { sample } from "../support/metrics.ts";
import { type HeraldProcess, spawnHerald } from "../support/processes.ts";
import { type Receiver, startReceiver } from "../support/receiver.ts";

let db: Awaited<ReturnType<typeof migratedDatabase>>;
let receiver: Receiver;
let herald: HeraldProcess | undefined;

before(async () => {
  db = await migratedDatabase();
  receiver = await startReceiver();
});
after(async () => {
  await herald?.kill();
  await receiver?.close();
  await db?.drop();
});

/** The pids of the processes that logged "worker started", in order (a restart adds one). */
function workerPids(child: HeraldProcess): number[] {
  return child
    .stdout()
    .split("\n")
    .filter((line) => line.includes('"msg":"worker started"'))
    .map((line) => JSON.parse(line).pid as number);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test("two processes share the port and the queue; one that dies is restarted; SIGTERM stops all", async () => {
  herald = await spawnHerald(["--role", "all", "--processes", "2"], {
    DATABASE_URL: db.url,
    HERALD_API_KEY: API_KEY,
    HERALD_POLL_INTERVAL_MS: "100",
    HERALD_METRICS_PORT: "0",
    HERALD_WORKER_CONCURRENCY: "16",
  });
  const child = herald;
  const pids = await waitFor(
    async () => (workerPids(child).length >= 2 ? workerPids(child) : undefined),
    20_000,
    "two worker processes",
  );
  assert.equal(new Set(pids).size, 2, "two processes, not one started twice");
  assert.ok(!pids.includes(child.proc.pid as number), "the supervisor runs no worker itself");

  // Both serve the one port: every request is answered whichever process takes it.
  const ep = await callApi(child.url, "POST", "/v1/endpoints", { url: `${receiver.url}/hook` });
  assert.equal(ep.status, 201, JSON.stringify(ep.body));
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const res = await callApi(child.url, "POST", "/v1/events", {
      type: "processes.test",
      payload: { i },
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    ids.push(res.body.id);
  }
  await waitFor(
    async () => (receiver.webhookIds().length >= ids.length ? true : undefined),
    15_000,
    "the deliveries",
  );
  assert.deepEqual([...new Set(receiver.webhookIds())].sort(), [...ids].sort());

  // The supervisor's metrics port: the processes' figures summed, the database's taken once.
  const metricsUrl = await waitFor(
    () => child.stdout().match(/"url":"([^"]+)","msg":"metrics of all processes served"/)?.[1],
    5_000,
    "the metrics port",
  );
  const text = await waitFor(async () => {
    const t = await (await fetch(metricsUrl)).text();
    return sample(t, "herald_deliveries_finished_total", { status: "succeeded" }) === ids.length
      ? t
      : undefined;
  }, 10_000);
  assert.equal(sample(text, "herald_worker_slots", { state: "free" }), 32, "16 slots × 2");
  assert.equal(sample(text, "herald_endpoints", { circuit: "closed", enabled: "true" }), 1);
  assert.equal(
    sample(text, "herald_events_ingested_total", { kind: "api", result: "accepted" }),
    20,
  );

  // A process killed outright is started again; the port keeps answering meanwhile.
  process.kill(pids[0] as number, "SIGKILL");
  const restarted = await waitFor(
    async () => workerPids(child).find((pid) => !pids.includes(pid)),
    20_000,
    "the killed process's replacement",
  );
  const health = await fetch(`${child.url}/health/live`);
  assert.equal(health.status, 200);

  const exit = await child.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, child.output());
  for (const pid of [pids[1] as number, restarted]) {
    assert.equal(alive(pid), false, `process ${pid} outlived its supervisor`);
  }
  assert.match(child.output(), /a Herald process died; restarting it/);
});
