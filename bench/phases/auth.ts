// auth: what authenticating a request costs with many keys. 10,000 tenant keys are stored;
// an API-only Herald answers GET /v1/me (authentication and almost nothing else) in a closed
// loop: with the one admin key, then with every request using another of the 10,000 keys (the
// first round finds each key in the database once, the second from memory), against
// GET /health/live (no authentication) as the floor. The database's committed transactions
// during the warm round, less the verifier's own polls, are the queries per request: the target
// is none.
import { Pool } from "undici";
import { hashKey } from "../../src/auth/api-keys.ts";
import { newId } from "../../src/ids.ts";
import { API_KEY } from "../lib/api.ts";
import type { BenchContext, PhaseResult } from "../lib/context.ts";
import { closedLoop } from "../lib/load.ts";
import { latencyText, n } from "../lib/report.ts";
import { perSecond, round, summarize } from "../lib/stats.ts";

const KEYS = 10_000;
/** The verifier polls revocations four times a second: transactions of its own. */
const POLLS_PER_S = 4;

const keyOf = (i: number) => `hk_bench_auth_${String(i).padStart(24, "0")}`;

/** Committed transactions so far; backends publish theirs at most once a second, so wait that out. */
async function commits(ctx: BenchContext): Promise<number> {
  await new Promise((r) => setTimeout(r, 1_500));
  const [row] = await ctx.sql<{ n: string }[]>`
    select xact_commit::text as n from pg_stat_database where datname = current_database()`;
  return Number(row?.n);
}

export async function authPhase(ctx: BenchContext): Promise<PhaseResult> {
  const { concurrency } = ctx.sizes.seedApi;
  const requests = Math.max(KEYS, ctx.sizes.seedApi.events);
  await ctx.sql`delete from api_keys where name = 'bench-auth'`;
  for (let i = 0; i < KEYS; i += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, KEYS - i) }, (_, j) => i + j);
    await ctx.sql`
      insert into api_keys (id, name, key_hash, scope, tenant, origin)
      select id, 'bench-auth', decode(hash, 'hex'), 'tenant', tenant, 'api'
      from unnest(${batch.map(() => newId("key_"))}::text[], ${batch.map((k) => hashKey(keyOf(k)).toString("hex"))}::text[],
                  ${batch.map((k) => `bench-tenant-${k}`)}::text[]) as k(id, hash, tenant)`;
  }
  const api = await ctx.fleet.api();
  const pool = new Pool(api.child.url, { connections: concurrency, pipelining: 1 });
  const get = async (path: string, key?: string) => {
    const res = await pool.request({
      path,
      method: "GET",
      headers: key ? { authorization: `Bearer ${key}` } : {},
    });
    await res.body.dump();
    return res.statusCode === 200;
  };
  type Round = ReturnType<typeof summarize> & { per_s: number; errors: number; ms: number };
  const measure = async (send: (i: number) => Promise<boolean>): Promise<Round> => {
    const r = await closedLoop({ total: requests, concurrency, send });
    const per_s = perSecond(requests - r.errors, r.elapsedMs);
    return { per_s, ...summarize(r.latencies), errors: r.errors, ms: r.elapsedMs };
  };
  let floor: Round;
  let oneKey: Round;
  let cold: Round;
  let warm: Round;
  let queriesPerRequest: number;
  try {
    await measure(() => get("/health/live")); // warm the process
    floor = await measure(() => get("/health/live"));
    oneKey = await measure(() => get("/v1/me", API_KEY));
    cold = await measure((i) => get("/v1/me", keyOf(i % KEYS)));
    const before = await commits(ctx);
    warm = await measure((i) => get("/v1/me", keyOf(i % KEYS)));
    const spent = (await commits(ctx)) - before;
    // The verifier's polls over the round and the 1.5 s wait after it (the wait before it is
    // published before the first count... or after: counted once either way, within a poll).
    queriesPerRequest = Math.max(0, spent - (POLLS_PER_S * (warm.ms + 1_500)) / 1000) / requests;
  } finally {
    await pool.close();
    await ctx.fleet.stop();
    await ctx.sql`delete from api_keys where name = 'bench-auth'`;
  }
  const cost = (r: Round) => round((r.p50_ms - floor.p50_ms) * 1000, 0);
  for (const [label, r] of Object.entries({ floor, oneKey, cold, warm })) {
    console.log(`  ${label}: ${n(r.per_s)} req/s, ${latencyText(r)}`);
  }
  console.log(`  queries per warm request: ${round(queriesPerRequest, 4)}`);
  const figure = `${n(requests)} requests at concurrency ${concurrency}, ${n(KEYS)} keys stored`;
  return {
    data: {
      keys: KEYS,
      requests,
      concurrency,
      floor,
      oneKey,
      cold,
      warm,
      queries_per_request: queriesPerRequest,
    },
    rows: [
      {
        phase: "auth",
        figure: `GET /health/live (no key), ${figure}`,
        result: `${n(floor.per_s)} req/s; ${latencyText(floor)}`,
      },
      {
        phase: "auth",
        figure: "GET /v1/me, one key",
        result: `${n(oneKey.per_s)} req/s; ${latencyText(oneKey)}; p50 +${cost(oneKey)} µs over no key`,
      },
      {
        phase: "auth",
        figure: `GET /v1/me, each request another of the ${n(KEYS)} keys, first sight`,
        result: `${n(cold.per_s)} req/s; ${latencyText(cold)}`,
      },
      {
        phase: "auth",
        figure: "the same keys again (from memory)",
        result: `${n(warm.per_s)} req/s; ${latencyText(warm)}; p50 +${cost(warm)} µs over no key; ${round(queriesPerRequest, 4)} queries per request`,
        target: "no query per request",
        met: queriesPerRequest < 0.01,
      },
    ],
  };
}
