// Reproduces the worker's plans drifting with the queue's statistics (docs/performance.md):
// rounds of 100,000 deliveries claimed and completed by the worker's own statements on one
// connection, with statistics taken while nothing was pending (after a VACUUM ANALYZE of the
// drained table) or right after the burst. Prints the time spent in claims and completions per
// round; with the worker's session settings (QUEUE_SESSION) every round takes about as long
// as the first. `node --import tsx bench/plan-drift.ts [--plain]` (--plain: without them).
import { loadConfig } from "../src/config.ts";
import { connect, QUEUE_SESSION } from "../src/db/connect.ts";
import { migrate } from "../src/db/migrate.ts";
import { decide } from "../src/delivery/outcome.ts";
import { breakerInput, breakerOutcome } from "../src/endpoints/breaker.ts";
import { newId } from "../src/ids.ts";
import { claim, complete } from "../src/queue/index.ts";
import { postgresForRun } from "../test/support/postgres.ts";
import { seedEvents } from "./lib/seed.ts";

const ROUND = 100_000;
const pg = await postgresForRun("herald-plan-drift");
const sql = connect(pg.url, 4);
const worker = connect(pg.url, 1, process.argv.includes("--plain") ? {} : QUEUE_SESSION);
const config = loadConfig({});
try {
  await migrate(sql);
  // Proven (a success on record): its deliveries are claimed in full, not probed one by one.
  await sql`insert into endpoints (id, url, secret, event_types, max_in_flight, last_success_at)
    values (${newId("ep_")}, 'http://127.0.0.1:9/x', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
            ${["bench.event"]}, 1000, now())`;

  const drain = async (label: string) => {
    let done = 0;
    let claimMs = 0;
    let completeMs = 0;
    while (done < ROUND) {
      let t = performance.now();
      const rows = await claim(worker, {
        workerId: "w",
        limit: 128,
        leaseMs: 60_000,
        circuitFailures: 5,
        suspectLimit: 128,
        probeLimit: 0,
        holdLimit: 0,
      });
      claimMs += performance.now() - t;
      if (!rows.length) break;
      const now = Date.now();
      const ok = {
        kind: "ok",
        startedAt: now,
        durationMs: 1,
        statusCode: 200,
        body: null,
        message: null,
      } as const;
      const batch = rows.map((r) => decide(r, ok, config, now));
      const breaker = breakerInput(batch.map(breakerOutcome));
      t = performance.now();
      await complete(worker, { workerId: "w", batch, breaker, policy: config });
      completeMs += performance.now() - t;
      done += rows.length;
    }
    console.log(
      `${label}: ${done} delivered; claims ${Math.round(claimMs)} ms, completions ${Math.round(completeMs)} ms`,
    );
  };
  const seed = () => seedEvents(sql, { events: ROUND, type: "bench.event", batch: 1000 });

  await seed();
  await drain("fresh table");
  for (const round of [1, 2]) {
    await sql`vacuum analyze`;
    await seed();
    await drain(`round ${round}, statistics from before the burst`);
  }
  await sql`vacuum analyze`;
  await seed();
  await sql`analyze`;
  await drain("round 3, statistics from after the burst");
} finally {
  await worker.end();
  await sql.end();
  await pg.stop();
}
