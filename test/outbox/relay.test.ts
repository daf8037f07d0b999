// The outbox relay against a second, real PostgreSQL (the platform's own): rows committed in
// the platform's transactions reach Herald in order and once each, rolled-back ones never; a
// relay SIGKILLed after Herald committed a batch and before it deleted the rows sends them
// again and Herald stores nothing twice; rows Herald refuses are stepped over with the reason.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import postgres from "postgres";
import { API_KEY, heraldForSuite, waitFor } from "../helpers.ts";
import { runHerald } from "../support/cli.ts";
import { embeddedForRun } from "../support/postgres.ts";
import { type HeraldProcess, spawnHerald } from "../support/processes.ts";

describe("outbox relay", () => {
  const { db, herald } = heraldForSuite();
  let app: { url: string; stop(): Promise<void> };
  let appSql: postgres.Sql;
  const relays: HeraldProcess[] = [];

  before(async () => {
    app = await embeddedForRun("herald-outbox");
    appSql = postgres(app.url, { max: 4, onnotice: () => {} });
  });
  after(async () => {
    await Promise.all(relays.map((r) => r.kill()));
    await appSql?.end();
    await app?.stop();
  });

  const env = () => ({ HERALD_URL: herald.url as string, HERALD_API_KEY: API_KEY });
  async function relay(table: string, extra: string[] = []): Promise<HeraldProcess> {
    const child = await spawnHerald(
      ["--from", app.url, "--table", table, "--poll-ms", "200", ...extra],
      env(),
      { command: "outbox" },
    );
    relays.push(child);
    return child;
  }
  const init = (table: string) =>
    runHerald(["outbox", "init", "--from", app.url, "--table", table], {});
  const heraldIds = async (prefix: string) =>
    (
      await db.sql<{ id: string }[]>`
        select id from events where id like ${`${prefix}%`} order by seq`
    ).map((r) => r.id);
  const left = async (table: string) =>
    (await appSql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${table}`))[0]?.n;

  test("init makes the table (twice is fine); committed rows go out in order, rolled-back ones never", async () => {
    const first = await init("herald_outbox");
    assert.equal(first.code, 0, first.stderr);
    const again = await init("herald_outbox");
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /herald_outbox is ready/);

    await relay("herald_outbox");
    // The business write and its event in one transaction: both or neither.
    await appSql.unsafe("create table payments (id text primary key, amount int)");
    for (let i = 0; i < 20; i++) {
      await appSql.begin(async (tx) => {
        await tx`insert into payments values (${`pay_${i}`}, ${i * 100})`;
        await tx`insert into herald_outbox (id, type, tenant, payload)
                 values (${`evt_ob_${String(i).padStart(2, "0")}`}, 'payment.succeeded', 'merchant-42',
                         ${tx.json({ payment: `pay_${i}`, amount: i * 100 })})`;
      });
    }
    await assert.rejects(
      appSql.begin(async (tx) => {
        await tx`insert into payments values ('pay_lost', 1)`;
        await tx`insert into herald_outbox (id, type, payload)
                 values ('evt_ob_rolled_back', 'payment.succeeded', '{}')`;
        throw new Error("the payment failed");
      }),
    );

    const want = Array.from({ length: 20 }, (_, i) => `evt_ob_${String(i).padStart(2, "0")}`);
    await waitFor(
      async () => (await heraldIds("evt_ob_")).length === 20,
      15_000,
      "20 events in Herald",
    );
    assert.deepEqual(await heraldIds("evt_ob_"), want, "in the order they were committed");
    await waitFor(async () => (await left("herald_outbox")) === 0, 5_000, "the rows deleted");
    const [one] = await db.sql<{ tenant: string; type: string; payload: string }[]>`
      select tenant, type, payload from events where id = 'evt_ob_07'`;
    assert.equal(one?.tenant, "merchant-42");
    assert.equal(one?.type, "payment.succeeded");
    assert.deepEqual(JSON.parse(one?.payload ?? "null"), { payment: "pay_7", amount: 700 });
    assert.deepEqual(
      await heraldIds("evt_ob_rolled"),
      [],
      "the rolled-back event never reached Herald",
    );

    const status = await runHerald(
      ["outbox", "status", "--from", app.url, "--table", "herald_outbox", "--json"],
      {},
    );
    assert.equal(status.code, 0, status.stderr);
    assert.deepEqual(JSON.parse(status.stdout), { pending: 0, rejected: 0, lag_ms: 0 });
  });

  test("killed after Herald committed a batch and before deleting it, the relay sends it again: nothing lost, nothing twice", async () => {
    assert.equal((await init("app.crash_outbox").catch(() => null))?.code, 1, "no schema app yet");
    await appSql.unsafe("create schema app");
    assert.equal((await init("app.crash_outbox")).code, 0);
    const N = 3000;
    const ids = Array.from({ length: N }, (_, i) => `evt_kill_${String(i).padStart(5, "0")}`);
    for (let i = 0; i < N; i += 500) {
      const rows = ids
        .slice(i, i + 500)
        .map((id) => ({ id, type: "order.created", payload: { id } }));
      await appSql`insert into app.crash_outbox ${appSql(rows, "id", "type", "payload")}`;
    }

    // The relay's deletes wait behind this lock (its reads do not): it posts a batch, Herald
    // commits it, and the relay is killed before the rows are gone.
    const lock = await appSql.reserve();
    await lock`begin`;
    await lock`lock table app.crash_outbox in exclusive mode`;
    const first = await relay("app.crash_outbox", ["--batch", "200"]);
    // A standby: it waits for the table's lock while the first relay lives.
    const standby = await relay("app.crash_outbox", ["--batch", "200"]);
    await waitFor(
      () => standby.output().includes("another relay holds"),
      10_000,
      "the standby waiting",
    );
    await waitFor(
      async () => (await heraldIds("evt_kill_")).length === 200,
      10_000,
      "a batch in Herald",
    );
    await first.kill();
    await lock`rollback`;
    lock.release();
    assert.equal(await left("app.crash_outbox"), N, "the killed relay deleted nothing");

    // The standby takes over once the killed relay's session is gone (its lock with it).
    await waitFor(async () => (await left("app.crash_outbox")) === 0, 60_000, "the outbox drained");
    const stored = await heraldIds("evt_kill_");
    assert.equal(stored.length, N, "every row stored once");
    assert.deepEqual(stored, ids, "in order");
    assert.match(standby.output(), /relaying app\.crash_outbox/);
  });

  test("rows Herald refuses are stepped over with the reason; the rows after them go out", async () => {
    assert.equal((await init("bad_outbox")).code, 0);
    await relay("bad_outbox");
    const big = "x".repeat(1024 * 1024 + 10);
    await appSql`insert into bad_outbox (id, type, payload) values
      ('evt_bad_ok_1', 'order.created', '{"n":1}'),
      ('evt_bad_type', '', '{"n":2}'),
      (${`evt_${"z".repeat(300)}`}, 'order.created', '{"n":3}'),
      ('evt_bad_big', 'order.created', ${appSql.json({ big })}),
      ('evt_bad_ok_2', 'order.created', '{"n":5}')`;
    // The same id as an event Herald has, with another payload: a conflict, not a second event.
    await appSql`insert into bad_outbox (id, type, payload)
                 values ('evt_bad_ok_1', 'order.created', '{"n":"other"}')`;
    await appSql`insert into bad_outbox (id, type, payload) values ('evt_bad_ok_3', 'order.created', '{}')`;

    await waitFor(
      async () => (await heraldIds("evt_bad_ok_")).length === 3,
      15_000,
      "the good rows",
    );
    await waitFor(
      async () => {
        const rows = await appSql<{ id: string; error: string | null }[]>`
          select id, error from bad_outbox order by seq`;
        return rows.length === 4 && rows.every((r) => r.error) ? rows : null;
      },
      10_000,
      `the refused rows marked: ${JSON.stringify(await appSql`select id, error from bad_outbox`)}`,
    );
    const rows = await appSql<
      { id: string; error: string }[]
    >`select id, error from bad_outbox order by seq`;
    assert.deepEqual(
      rows.map((r) => r.error.split(":")[0]),
      ["invalid_request", "invalid_request", "payload_too_large", "event_conflict"],
    );
    assert.deepEqual(await heraldIds("evt_bad_"), ["evt_bad_ok_1", "evt_bad_ok_2", "evt_bad_ok_3"]);
    const status = await runHerald(
      ["outbox", "status", "--from", app.url, "--table", "bad_outbox", "--json"],
      {},
    );
    assert.equal(JSON.parse(status.stdout).rejected, 4);
  });

  test("without the platform's database or a key: one line naming what is missing", async () => {
    const noFrom = await runHerald(["outbox"], env());
    assert.equal(noFrom.code, 2);
    assert.equal(
      noFrom.stderr,
      "herald: the platform's database is needed: --from or HERALD_OUTBOX_DATABASE_URL\n",
    );
    const noKey = await runHerald(["outbox", "--from", app.url], {
      HERALD_URL: herald.url as string,
    });
    assert.equal(noKey.code, 2);
    assert.equal(noKey.stderr, "herald: an API key is needed: --key or HERALD_API_KEY\n");
    const badTable = await runHerald(
      ["outbox", "init", "--from", app.url, "--table", "x; drop"],
      {},
    );
    assert.equal(badTable.code, 2);
    assert.match(badTable.stderr, /--table must be a lowercase table name/);

    // A key Herald refuses ends the relay with that reason, not a retry loop.
    assert.equal((await init("refused_outbox")).code, 0);
    await appSql`insert into refused_outbox (type, payload) values ('a.b', '{}')`;
    const refused = await runHerald(["outbox", "--from", app.url, "--table", "refused_outbox"], {
      HERALD_URL: herald.url as string,
      HERALD_API_KEY: "not-a-key-of-this-herald-0123456789",
    });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /herald: Herald refused the relay's key: 401/);
    assert.equal(await left("refused_outbox"), 1, "the row stays for a relay with a good key");
  });
});
