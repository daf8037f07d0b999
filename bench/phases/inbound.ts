// inbound: POST /in/:source (a GitHub source: HMAC-SHA256 of the body checked on every request,
// a delivery id per request, the event type from its header) against POST /v1/events, closed
// loop at the ingest concurrency on an API-only Herald, each run after a tenth not measured;
// two rounds, alternated, as runs on one VM drift. Both write one event and one delivery (the
// bench endpoint takes the type) before their 202.
import { createHmac, randomUUID } from "node:crypto";
import { Pool } from "undici";
import { API_KEY, apiClient } from "../lib/api.ts";
import { BENCH_TYPE, type BenchContext, type PhaseResult } from "../lib/context.ts";
import { closedLoop } from "../lib/load.ts";
import { emptyQueue } from "../lib/queue.ts";
import { latencyText, n } from "../lib/report.ts";
import { PAYLOAD } from "../lib/seed.ts";
import { perSecond, round, summarize } from "../lib/stats.ts";

const SECRET = "bench-inbound-secret-0123456789";
const BODY = JSON.stringify(PAYLOAD);
const SIGNATURE = `sha256=${createHmac("sha256", SECRET).update(BODY).digest("hex")}`;
const V1_BODY = JSON.stringify({ type: BENCH_TYPE, payload: PAYLOAD });

export async function inboundPhase(ctx: BenchContext): Promise<PhaseResult> {
  const { events, concurrency } = ctx.sizes.seedApi;
  await emptyQueue(ctx.sql);
  const api = await ctx.fleet.api();
  const setup = apiClient(api.child.url, 1);
  let sourceId: string;
  try {
    const res = await setup.post("/v1/sources", {
      name: "bench",
      provider: "github",
      secret: SECRET,
    });
    if (res.status !== 201) throw new Error(`creating a source: ${JSON.stringify(res.body)}`);
    sourceId = res.body.id as string;
  } finally {
    await setup.close();
  }
  const pool = new Pool(api.child.url, { connections: concurrency, pipelining: 1 });
  const post = async (path: string, body: string, headers: Record<string, string>) => {
    const res = await pool.request({ path, method: "POST", headers, body });
    await res.body.dump();
    return res.statusCode === 202;
  };
  const v1 = () =>
    post("/v1/events", V1_BODY, {
      authorization: `Bearer ${API_KEY}`,
      "content-type": "application/json",
    });
  const inbound = () =>
    post(`/in/${sourceId}`, BODY, {
      "content-type": "application/json",
      "x-github-event": BENCH_TYPE,
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": SIGNATURE,
    });
  const run = async (send: () => Promise<boolean>) => {
    await closedLoop({ total: Math.ceil(events / 10), concurrency, send });
    const r = await closedLoop({ total: events, concurrency, send });
    return {
      per_s: perSecond(events - r.errors, r.elapsedMs),
      ...summarize(r.latencies),
      errors: r.errors,
    };
  };
  const rounds: {
    v1: Awaited<ReturnType<typeof run>>;
    inbound: Awaited<ReturnType<typeof run>>;
  }[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const a = await run(v1);
      const b = await run(inbound);
      rounds.push({ v1: a, inbound: b });
      console.log(`  round ${i + 1}: /v1/events ${n(a.per_s)}/s, /in/:source ${n(b.per_s)}/s`);
    }
  } finally {
    await pool.close();
  }
  const memory = await ctx.fleet.stop();
  const mean = (k: "v1" | "inbound") => rounds.reduce((s, r) => s + r[k].per_s, 0) / rounds.length;
  const ratio = round(mean("inbound") / mean("v1"), 2);
  const last = rounds.at(-1) as (typeof rounds)[number];
  return {
    data: { events, concurrency, rounds, ratio, memory },
    rows: [
      {
        phase: "inbound",
        figure: `POST /v1/events, ${n(events)} events at concurrency ${concurrency}, two rounds`,
        result: `${rounds.map((r) => n(r.v1.per_s)).join(", ")} events/s; last ${latencyText(last.v1)}`,
      },
      {
        phase: "inbound",
        figure: "POST /in/:source (GitHub signature checked), the same, alternated",
        result: `${rounds.map((r) => n(r.inbound.per_s)).join(", ")} events/s; last ${latencyText(last.inbound)}; ×${ratio} of /v1/events; ${last.inbound.errors} errors`,
        target: "within 10% of /v1/events",
        met: ratio >= 0.9 && rounds.every((r) => r.inbound.errors === 0),
      },
    ],
  };
}
