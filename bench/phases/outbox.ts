// outbox: `herald outbox` relaying a platform's outbox table (on a second PostgreSQL server,
// as in production) into an API-only Herald. Two figures: a backlog's rows relayed per second
// (rows committed before the relay starts), and the lag while the platform commits rows at a
// steady rate (each row's age when Herald committed its event: both servers share the clock).
import postgres from "postgres";
import { connectOutbox, initOutbox, outboxTable } from "../../src/outbox/relay.ts";
import { embeddedForRun } from "../../test/support/postgres.ts";
import { spawnHerald } from "../../test/support/processes.ts";
import { API_KEY } from "../lib/api.ts";
import { BENCH_TYPE, type BenchContext, type PhaseResult } from "../lib/context.ts";
import { emptyQueue } from "../lib/queue.ts";
import { latencyText, n } from "../lib/report.ts";
import { PAYLOAD } from "../lib/seed.ts";
import { perSecond, summarize } from "../lib/stats.ts";

const INSERT_CHUNK = 1_000;

export async function outboxPhase(ctx: BenchContext): Promise<PhaseResult> {
  const { backlog, rate, seconds } = ctx.sizes.outbox;
  const app = await embeddedForRun("herald-bench-outbox");
  const appSql = postgres(app.url, { max: 4, onnotice: () => {} });
  const table = outboxTable("herald_outbox");
  await emptyQueue(ctx.sql);
  let relay: Awaited<ReturnType<typeof spawnHerald>> | undefined;
  try {
    const init = connectOutbox(app.url);
    await initOutbox(init, table);
    await init.end();
    const api = await ctx.fleet.api();

    // The backlog: committed before the relay runs.
    for (let i = 0; i < backlog; i += INSERT_CHUNK) {
      const rows = Array.from({ length: Math.min(INSERT_CHUNK, backlog - i) }, () => ({
        type: BENCH_TYPE,
        payload: PAYLOAD,
      }));
      await appSql`insert into herald_outbox ${appSql(rows, "type", "payload")}`;
    }
    relay = await spawnHerald(
      ["--from", app.url, "--stats-ms", "0"],
      {
        HERALD_URL: api.child.url,
        HERALD_API_KEY: API_KEY,
        HERALD_LOG_LEVEL: "info",
      },
      { command: "outbox" },
    );
    // From its start (the process up, its signal handlers set): taking the lock and the first
    // rows are part of it.
    const started = Date.now();
    await drained(appSql);
    const backlogPerS = perSecond(backlog, Date.now() - started);
    console.log(`  backlog of ${n(backlog)} rows: ${n(backlogPerS)} rows/s`);

    // Steady: `rate` rows a second, in transactions of 10 every 10/rate s; each row's payload
    // carries its commit-time clock.
    await appSql`truncate herald_outbox`;
    await emptyQueue(ctx.sql);
    const per = 10;
    const total = rate * seconds;
    const t0 = Date.now();
    for (let sent = 0; sent < total; sent += per) {
      const due = t0 + (sent / rate) * 1000;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await appSql`insert into herald_outbox (type, payload)
        select ${BENCH_TYPE}, jsonb_build_object('at', extract(epoch from clock_timestamp()) * 1000)
        from generate_series(1, ${per})`;
    }
    await drained(appSql);
    const lags = (
      await ctx.sql<{ lag: number }[]>`
        select extract(epoch from created_at) * 1000 - (payload::jsonb ->> 'at')::float8 as lag
        from events`
    ).map((r) => r.lag);
    const lag = summarize(lags.sort((a, b) => a - b));
    console.log(`  steady ${n(rate)} rows/s for ${seconds} s: lag ${latencyText(lag)}`);
    await ctx.fleet.stop();
    return {
      data: { backlog, backlog_rows_per_s: backlogPerS, rate, seconds, rows: lags.length, lag },
      rows: [
        {
          phase: "outbox",
          figure: `rows relayed/s, a backlog of ${n(backlog)} rows on a second PostgreSQL`,
          result: `${n(backlogPerS)} rows/s`,
        },
        {
          phase: "outbox",
          figure: `lag (row committed → event committed in Herald), ${n(rate)} rows/s for ${seconds} s`,
          result: latencyText(lag),
        },
      ],
    };
  } finally {
    await relay?.stop();
    await ctx.fleet.stop();
    await appSql.end();
    await app.stop();
  }
}

async function drained(sql: postgres.Sql): Promise<void> {
  for (;;) {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from herald_outbox`;
    if (row?.n === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
