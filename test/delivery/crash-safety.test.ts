// Crash safety of the delivery queue with real worker processes: a worker killed mid-attempt
// loses its lease and the delivery is sent again by another worker (at-least-once), and two
// workers sharing one database never hold the same delivery at the same time.
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { after, before, describe, test } from "node:test";
import { migratedDatabase, startTestHerald, type TestHerald, waitFor } from "../helpers.ts";
import { type HeraldProcess, spawnHerald } from "../support/processes.ts";
import { startReceiver } from "../support/receiver.ts";

describe("crash safety", () => {
  let db: Awaited<ReturnType<typeof migratedDatabase>>;
  let api: TestHerald;
  const children: HeraldProcess[] = [];
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    db = await migratedDatabase();
    api = await startTestHerald(db.url, { role: "api" });
  });
  after(async () => {
    await Promise.all(children.map((child) => child.kill()));
    for (const close of closers) await close();
    await api?.stop();
    await db?.drop();
  });

  /** Starts `herald serve --role worker` as a child process; resolves once it logged its start. */
  async function worker(env: Record<string, string>): Promise<HeraldProcess> {
    const child = await spawnHerald(["--role", "worker"], {
      DATABASE_URL: db.url,
      HERALD_POLL_INTERVAL_MS: "100",
      ...env,
    });
    children.push(child);
    return child;
  }

  async function endpoint(url: string, options: Record<string, unknown> = {}): Promise<string> {
    const res = await api.api("POST", "/v1/endpoints", { url, ...options });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id;
  }

  async function event(endpointId: string, id: string): Promise<void> {
    const res = await api.api("POST", "/v1/events", {
      id,
      type: "crash.test",
      payload: { id },
      endpoint_ids: [endpointId],
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
  }

  test("a delivery held by a SIGKILLed worker is reclaimed after its lease and sent again", async (t) => {
    let held: ServerResponse | undefined;
    const rx = await startReceiver((n, res) => {
      if (n === 1) {
        held = res; // never answered: the worker dies holding this attempt
        return;
      }
      res.writeHead(200).end("ok");
    });
    closers.push(rx.close);

    const first = await worker({ HERALD_LEASE_MS: "1500", HERALD_TIMEOUT_MS: "1000" });

    const ep = await endpoint(`${rx.url}/hook`);
    await event(ep, "evt_crash_1");
    await waitFor(() => held, 10_000, "the first attempt to reach the receiver");
    assert.equal((await first.kill()).signal, "SIGKILL");

    const [before] = await db.sql`
      select status, attempts from deliveries where endpoint_id = ${ep}`;
    assert.equal(before?.status, "in_flight", "the killed worker never recorded its attempt");

    const second = await startTestHerald(db.url, {
      role: "worker",
      leaseMs: 1500,
      timeoutMs: 1000,
    });
    // Stopped when this test ends: the next test counts its own worker processes only.
    t.after(() => second.stop());
    const delivery = await waitFor(
      async () => {
        const [row] = await db.sql<{ id: string }[]>`
          select id from all_deliveries where endpoint_id = ${ep} and status = 'succeeded'`;
        return row;
      },
      15_000,
      "the reclaimed delivery to succeed",
    );
    assert.deepEqual(rx.webhookIds(), ["evt_crash_1", "evt_crash_1"], "same webhook-id sent twice");

    const got = await api.api("GET", `/v1/deliveries/${delivery?.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.status, "succeeded");
    const attempts = got.body.attempts.map(
      (a: { number: number; error_kind: string | null; status_code: number | null }) => ({
        number: a.number,
        error_kind: a.error_kind,
        status_code: a.status_code,
      }),
    );
    assert.deepEqual(attempts, [
      { number: 1, error_kind: "lease_expired", status_code: null },
      { number: 2, error_kind: null, status_code: 200 },
    ]);
  });

  test("two worker processes never send one delivery at the same time", async (t) => {
    const EVENTS = 300;
    const active = new Map<string, number>();
    const maxActive = new Map<string, number>();
    const rx = await startReceiver((_n, res, req) => {
      const id = String(req.headers["webhook-id"]);
      const now = (active.get(id) ?? 0) + 1;
      active.set(id, now);
      maxActive.set(id, Math.max(maxActive.get(id) ?? 0, now));
      // 20–40 ms an answer: the backlog lasts long enough for both workers to take part even
      // when one starts claiming late on a loaded machine (one drained it alone in CI at 0–20).
      setTimeout(
        () => {
          active.set(id, (active.get(id) ?? 1) - 1);
          res.writeHead(200).end("ok");
        },
        20 + Math.random() * 20,
      );
    });
    closers.push(rx.close);

    // A small concurrency per worker so that both share the backlog.
    const env = { HERALD_WORKER_CONCURRENCY: "8", HERALD_TIMEOUT_MS: "5000" };
    const pair = await Promise.all([worker(env), worker(env)]);
    // Killed when this test ends: the next test's deliveries are for its own workers only.
    t.after(() => Promise.all(pair.map((w) => w.kill())));

    // A healthy endpoint all of whose deliveries in flight are one worker's may be held by it
    // (claim.ts, HOLD_FACTOR): the other worker gets none while the first keeps up. A rate
    // limit turns holding off, so both claim from this one endpoint's backlog side by side:
    // each takes at most its 8 slots of the endpoint's 10.
    const ep = await endpoint(`${rx.url}/hook`, { rate_limit_per_second: 10_000 });
    const ids = Array.from({ length: EVENTS }, (_, i) => `evt_pair_${i}`);
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(ids.slice(i, i + 50).map((id) => event(ep, id)));
    }

    await waitFor(
      async () => {
        const [row] = await db.sql<{ n: number }[]>`
          select count(*)::int as n from all_deliveries
          where endpoint_id = ${ep} and status = 'succeeded'`;
        return row?.n === EVENTS;
      },
      60_000,
      "every delivery to succeed",
    );

    const overlapping = [...maxActive].filter(([, n]) => n > 1).map(([id]) => id);
    assert.deepEqual(overlapping, [], "no webhook-id was in progress twice at once");
    const received = rx.webhookIds();
    assert.deepEqual([...new Set(received)].sort(), [...ids].sort(), "every event was delivered");
    const duplicates = received.length - new Set(received).size;
    assert.equal(duplicates, 0, "without crashes, nothing is sent twice");

    const [shared] = await db.sql<{ workers: number; attempts: number }[]>`
      select count(distinct a.worker_id)::int as workers, count(*)::int as attempts
      from attempts a join all_deliveries d on d.id = a.delivery_id where d.endpoint_id = ${ep}`;
    assert.equal(shared?.attempts, EVENTS, "one attempt per delivery");
    assert.equal(shared?.workers, 2, "both worker processes delivered part of the backlog");
  });

  test("an automatic disable commits with its announcement: a worker killed in between leaves neither", async () => {
    const rx = await startReceiver((_n, res) => res.writeHead(410).end());
    closers.push(rx.close);
    // The operator's endpoint: an announcement is written only for its subscribers.
    const ops = await startReceiver();
    closers.push(ops.close);
    await endpoint(`${ops.url}/ops`, { event_types: ["endpoint.disabled"] });
    const ep = await endpoint(`${rx.url}/gone`);
    const state = async () => {
      const [row] = await db.sql<{ enabled: boolean; audits: number; events: number }[]>`
        select (select enabled from endpoints where id = ${ep}) as enabled,
               (select count(*)::int from audit_log
                where subject = ${ep} and action = 'endpoint.disabled') as audits,
               (select count(*)::int from events
                where type = 'endpoint.disabled' and payload like ${`%${ep}%`}) as events`;
      return { ...row };
    };
    const waitingOnAudit = async () => {
      const rows = await db.sql`
        select 1 from pg_locks l join pg_class c on c.oid = l.relation
        where l.database = (select oid from pg_database where datname = current_database())
          and c.relname = 'audit_log' and not l.granted`;
      return rows.length > 0;
    };

    // The audit log is held: the worker's completion of the 410 blocks writing its entry.
    const lock = await db.sql.reserve();
    await lock`begin`;
    await lock`lock table audit_log in exclusive mode`;
    const first = await worker({ HERALD_LEASE_MS: "1500", HERALD_TIMEOUT_MS: "1000" });
    await event(ep, "evt_gone_1");
    await waitFor(waitingOnAudit, 10_000, "the disable waiting to write its audit entry");
    await first.kill();
    await lock`rollback`;
    lock.release();
    // The killed worker's transaction ends once its backend finds the connection gone.
    await waitFor(async () => !(await waitingOnAudit()), 10_000, "the lock waiter gone");
    await waitFor(
      async () => {
        const [open] = await db.sql`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and state like 'idle in transaction%'`;
        return open?.n === 0;
      },
      10_000,
      "the killed worker's transaction rolled back",
    );
    assert.deepEqual(await state(), { enabled: true, audits: 0, events: 0 }, "neither");

    // Another worker takes the delivery once its lease is over: 410 again, and now both.
    await worker({ HERALD_LEASE_MS: "1500", HERALD_TIMEOUT_MS: "1000" });
    await waitFor(async () => (await state()).enabled === false, 15_000, "disabled again");
    assert.deepEqual(await state(), { enabled: false, audits: 1, events: 1 }, "both");
  });
});
