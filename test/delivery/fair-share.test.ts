// Capacity is shared fairly. An endpoint with no outcome yet gets one attempt at a time, a probe
// on a socket of its own; a failing one shares a quarter of the worker's slots with the other
// failing ones. So a healthy endpoint's deliveries flow beside endpoints that never answer
// instead of waiting for their timeouts, new or established.
import assert from "node:assert/strict";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { heraldForSuite, type TestHerald, waitFor } from "../helpers.ts";
import { startReceiver } from "../support/receiver.ts";

/** Loopback listeners that take requests and never answer; counts those open at once. */
async function blackholes(n: number) {
  const held: ServerResponse[] = [];
  /** Open now and most open at once, in all and on one endpoint. */
  const stats = { open: 0, maxOpen: 0, maxOpenOnOne: 0, seen: 0 };
  const servers = await Promise.all(
    Array.from({ length: n }, async () => {
      let open = 0;
      const server = createServer((req, res) => {
        req.resume();
        stats.seen++;
        stats.open++;
        open++;
        stats.maxOpen = Math.max(stats.maxOpen, stats.open);
        stats.maxOpenOnOne = Math.max(stats.maxOpenOnOne, open);
        held.push(res);
        res.on("close", () => {
          stats.open--;
          open--;
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      return server;
    }),
  );
  return {
    urls: servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/hook`),
    stats,
    close: async () => {
      for (const s of servers) s.closeAllConnections();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}

async function endpoint(herald: TestHerald, url: string): Promise<string> {
  const res = await herald.api("POST", "/v1/endpoints", { url, event_types: [] });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

describe("fair share of a worker's slots", () => {
  // 8 slots: suspect endpoints may hold 2 of them.
  const { db, herald, receiver } = heraldForSuite(
    { workerConcurrency: 8, timeoutMs: 5_000, leaseMs: 20_000, pollIntervalMs: 100 },
    () => startReceiver(),
  );

  test("a healthy endpoint's deliveries flow beside endpoints that never answer", async () => {
    const dead = await blackholes(10);
    try {
      const deadIds = await Promise.all(dead.urls.map((u) => endpoint(herald, u)));
      const healthy = await endpoint(herald, `${receiver.url}/healthy`);
      const sendHealthy = async (n: number) => {
        for (let i = 0; i < n; i++) {
          await herald.api("POST", "/v1/events", {
            type: "fair.healthy",
            payload: { i },
            endpoint_ids: [healthy],
          });
        }
      };
      // The dead endpoints' deliveries go in first: due before the healthy ones.
      for (let i = 0; i < 5; i++) {
        const res = await herald.api("POST", "/v1/events", {
          type: "fair.dead",
          payload: { i },
          endpoint_ids: deadIds,
        });
        assert.equal(res.status, 202);
      }
      await sendHealthy(20);
      // New endpoints are probed one attempt at a time: all 20 arrive while the dead probes
      // still hang, none of them waited for a timeout.
      await waitFor(() => receiver.requests("/healthy").length === 20, 10_000, "20 healthy");
      const deadAttempts = async () =>
        (
          await db.sql<{ n: number }[]>`
            select count(*)::int as n from attempts where endpoint_id = any(${deadIds})`
        )[0]?.n ?? 0;
      assert.equal(await deadAttempts(), 0, "no dead attempt had ended yet");
      assert.ok(dead.stats.seen >= 1, "the dead endpoints were tried");
      assert.equal(dead.stats.maxOpenOnOne, 1, "one probe at a time per endpoint with no outcome");

      // Once their probes timed out they are failing: together they hold at most 2 of 8 slots.
      await waitFor(async () => (await deadAttempts()) >= 10, 15_000, "the probes timed out");
      dead.stats.maxOpen = dead.stats.open;
      await sendHealthy(20);
      await waitFor(() => receiver.requests("/healthy").length === 40, 10_000, "20 more healthy");
      await new Promise((r) => setTimeout(r, 500));
      assert.ok(dead.stats.maxOpen <= 2, `failing endpoints held ${dead.stats.maxOpen} of 8 slots`);
    } finally {
      await dead.close();
    }
  });
});
