// `npm run bench:isolation`: does a hanging endpoint slow a healthy one?
// One Herald (API + worker, default settings: 10 s timeout, max_in_flight 10) delivers N events
// to a healthy endpoint, first alone, then with a hanging neighbour whose backlog of N events
// sits ahead of it in the queue. Prints the healthy endpoint's deliveries/s in both runs.
import { createServer, type ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { connect } from "../src/db/connect.ts";
import { postgresForRun } from "../test/support/postgres.ts";
import { freePort, spawnHerald } from "../test/support/processes.ts";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "3000" },
    /** max_in_flight of the healthy endpoint (the default is 10). */
    "max-in-flight": { type: "string", default: "10" },
  },
});
const N = Number(values.events);
const KEY = "bench-key-0123456789-abcdefghijklmnop";

const pg = await postgresForRun("herald-isolation");
const sql = connect(pg.url, 2);
const held: ServerResponse[] = [];
const receiver = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    if (req.url === "/hang") held.push(res);
    else res.writeHead(200, { "content-length": "0" }).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
const target = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
const port = await freePort();
const herald = await spawnHerald(
  ["--role", "all"],
  {
    DATABASE_URL: pg.url,
    HERALD_API_KEY: KEY,
    HERALD_LOG_LEVEL: "warn",
    HERALD_PORT: String(port),
    HERALD_ALLOW_PRIVATE_NETWORKS: "true",
  },
  { waitFor: "ready", baseEnv: process.env },
);
const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 32 });
const post = async (path: string, body: unknown) => {
  const res = await pool.request({
    path,
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await res.body.json()) as { id: string };
};
async function send(endpointId: string, n: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next++ < n)
        await post("/v1/events", { type: "t", payload: { n: next }, endpoint_ids: [endpointId] });
    }),
  );
}
async function healthyRate(label: string): Promise<number> {
  const ep = await post("/v1/endpoints", {
    url: `${target}/ok`,
    event_types: [],
    max_in_flight: Number(values["max-in-flight"]),
  });
  const t0 = performance.now();
  await send(ep.id, N);
  for (;;) {
    const [row] =
      await sql`select count(*)::int as n from all_deliveries where endpoint_id = ${ep.id} and status = 'succeeded'`;
    if (row?.n === N) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const rate = Math.round(N / ((performance.now() - t0) / 1000));
  console.log(
    `${label}: ${N} deliveries to the healthy endpoint, ${rate} deliveries/s (posting included)`,
  );
  return rate;
}

const alone = await healthyRate("alone");
const hanging = await post("/v1/endpoints", { url: `${target}/hang`, event_types: [] });
await send(hanging.id, N);
const withNeighbour = await healthyRate(`with a hanging neighbour (${N} queued ahead)`);
const [h] = await sql`select count(*)::int as n from attempts where endpoint_id = ${hanging.id}`;
const [inflight] = await sql`select in_flight from endpoints where id = ${hanging.id}`;
console.log(
  `hanging endpoint: ${inflight?.in_flight} in flight (max_in_flight 10), ${h?.n} attempts finished`,
);
console.log(`ratio: ${(withNeighbour / alone).toFixed(2)}`);

for (const res of held) res.destroy();
await herald.kill();
await pool.close();
receiver.close();
await sql.end();
await pg.stop();
