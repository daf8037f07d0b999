// The worker's loop with a fake queue and a fake sender: it holds no SQL, so what it does with
// slots, failed writes and failed claims is tested without a database or a network.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import pino from "pino";
import type { Outcome } from "../../src/delivery/sender.ts";
import { Worker } from "../../src/delivery/worker.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import type { Claimed, Completion, WorkerQueue } from "../../src/queue/index.ts";
import { SecretBox } from "../../src/secrets/box.ts";
import { testConfig, waitFor } from "../helpers.ts";
import { claimedRow } from "../support/claimed.ts";

const log = pino({ level: "silent" });
const secrets = new SecretBox(Buffer.alloc(32, 1));

/** A sender whose attempts end when the test says so; counts attempts open at once. */
function heldSender() {
  const waiting: ((o: Outcome) => void)[] = [];
  const s = {
    open: 0,
    maxOpen: 0,
    send: () =>
      new Promise<Outcome>((resolve) => {
        s.open++;
        s.maxOpen = Math.max(s.maxOpen, s.open);
        waiting.push((o) => {
          s.open--;
          resolve(o);
        });
      }),
    /** Ends the oldest open attempt with a 200. */
    finishOne: () =>
      waiting.shift()?.({
        kind: "ok",
        startedAt: Date.now(),
        durationMs: 1,
        statusCode: 200,
        body: "",
        message: null,
      }),
    finishAll: () => {
      while (waiting.length) s.finishOne();
    },
    abortAll: () => {},
    close: async () => {},
  };
  return s;
}

/** A queue with `due` deliveries waiting; records claims and written batches. */
function fakeQueue(due: number, overrides: Partial<WorkerQueue> = {}) {
  let next = 0;
  const q = {
    claims: [] as number[],
    written: [] as Completion[],
    /** Ids given back unsent. */
    returned: [] as string[],
    queue: {
      claim: async ({ limit }: { limit: number }): Promise<Claimed[]> => {
        q.claims.push(limit);
        const n = Math.min(limit, due - next);
        return Array.from({ length: n }, () => {
          const id = `dlv_${next++}`;
          return claimedRow({ id, event_id: id });
        });
      },
      complete: async ({ batch }: { batch: Completion[] }) => {
        q.written.push(...batch);
        return [];
      },
      unclaim: async ({ rows }: { rows: { id: string }[] }) => {
        q.returned.push(...rows.map((r) => r.id));
        return rows.length;
      },
      reapExpired: async () => [],
      listen: async () => async () => {},
      ...overrides,
    } as WorkerQueue,
  };
  return q;
}

function worker(queue: WorkerQueue, sender: ReturnType<typeof heldSender>, concurrency = 4) {
  const config = testConfig("postgres://unused", {
    workerConcurrency: concurrency,
    pollIntervalMs: 50,
  });
  return new Worker(
    { config, log, secrets, metrics: new Metrics({ config, log }), now: Date.now },
    { queue, sender },
  );
}

describe("the worker loop", () => {
  test("claims no more than its free slots, and claims again as slots free up", async () => {
    const sender = heldSender();
    const q = fakeQueue(10);
    const w = worker(q.queue, sender);
    await w.start();
    await waitFor(() => sender.open === 4, 5_000, "4 attempts open");
    assert.equal(q.claims[0], 4);
    sender.finishOne();
    await waitFor(() => sender.open === 4, 5_000, "the freed slot refilled");
    sender.finishAll();
    await waitFor(
      async () => {
        sender.finishAll();
        return q.written.length === 10;
      },
      5_000,
      "all 10 recorded",
    );
    assert.equal(sender.maxOpen, 4, "never more attempts than slots");
    assert.deepEqual(
      q.written.map((c) => c.id).sort(),
      Array.from({ length: 10 }, (_, i) => `dlv_${i}`).sort(),
    );
    await w.stop();
  });

  test("a batch that fails to write is kept and written again", async () => {
    const sender = heldSender();
    let failures = 1;
    const q = fakeQueue(1);
    const write = q.queue.complete;
    q.queue.complete = async (p) => {
      if (failures-- > 0) throw new Error("database away");
      return write(p);
    };
    const w = worker(q.queue, sender);
    await w.start();
    await waitFor(() => sender.open === 1, 5_000, "the attempt open");
    sender.finishOne();
    await waitFor(() => q.written.length === 1, 5_000, "the outcome written on the second try");
    assert.equal(q.written[0]?.status, "succeeded");
    await w.stop();
  });

  test("a batch the database refuses is split: the others are recorded, the refused one as unrecordable", async () => {
    // Answers at once; the body of dlv_3's answer is one the "database" refuses to store.
    const sender = {
      send: async (_url: string, headers: Record<string, string>) => ({
        kind: "ok" as const,
        startedAt: Date.now(),
        durationMs: 1,
        statusCode: 200,
        body: headers["webhook-id"] === "dlv_3" ? "refused" : "fine",
        message: null,
      }),
      abortAll: () => {},
      close: async () => {},
    };
    const q = fakeQueue(8);
    const write = q.queue.complete;
    let refusals = 0;
    q.queue.complete = async (p) => {
      if (p.batch.some((c) => c.responseBody === "refused")) {
        refusals++;
        throw Object.assign(new Error("invalid byte sequence"), { code: "22021" });
      }
      return write(p);
    };
    const w = new Worker(
      {
        config: testConfig("postgres://unused", { workerConcurrency: 8 }),
        log,
        secrets,
        metrics: new Metrics({ config: testConfig("postgres://unused"), log }),
        now: Date.now,
      },
      { queue: q.queue, sender },
    );
    await w.start();
    await waitFor(() => q.written.length === 8, 5_000, "all 8 recorded");
    await w.stop();
    const byId = new Map(q.written.map((c) => [c.id, c]));
    assert.equal(byId.size, 8, "each recorded once");
    const refused = byId.get("dlv_3");
    assert.equal(refused?.errorKind, "unrecordable");
    assert.equal(refused?.responseBody, null);
    assert.equal(refused?.status, "succeeded", "the attempt's outcome stands");
    for (const [id, c] of byId) if (id !== "dlv_3") assert.equal(c.responseBody, "fine", id);
    assert.ok(refusals >= 1);
  });

  test("a claim that keeps failing waits for the poll instead of spinning", async () => {
    let claims = 0;
    const q = fakeQueue(0, {
      claim: async () => {
        claims++;
        throw new Error("database away");
      },
    });
    const w = worker(q.queue, heldSender());
    await w.start();
    await new Promise((r) => setTimeout(r, 300));
    await w.stop();
    // One claim at start and about one per 50 ms poll; a hot loop would make thousands.
    assert.ok(claims >= 1 && claims <= 10, `${claims} claims in 300 ms`);
  });

  test("stop() records the outcome of an attempt still running when it was called", async () => {
    const sender = heldSender();
    const q = fakeQueue(1);
    const w = worker(q.queue, sender);
    await w.start();
    await waitFor(() => sender.open === 1, 5_000, "the attempt open");
    const stopped = w.stop();
    sender.finishOne();
    await stopped;
    assert.equal(q.written.length, 1);
  });

  test("after stop() a slot freed by a finishing attempt is not passed on: its waiter is given back unsent", async () => {
    const sender = heldSender();
    let sends = 0;
    const counted = {
      ...sender,
      send: () => {
        sends++;
        return sender.send();
      },
    };
    let claimed = false;
    const q = fakeQueue(0, {
      // Two deliveries to one endpoint that takes one at a time: the second waits for the slot.
      claim: async () => {
        if (claimed) return [];
        claimed = true;
        return ["dlv_first", "dlv_second"].map((id) =>
          claimedRow({ id, event_id: id, endpoint_id: "ep_one", max_in_flight: 1 }),
        );
      },
    });
    const w = worker(q.queue, counted as unknown as ReturnType<typeof heldSender>);
    await w.start();
    await waitFor(() => sender.open === 1, 5_000, "the first attempt open");
    const stopped = w.stop();
    sender.finishOne();
    await stopped;
    assert.equal(sends, 1, "nothing sent after stop()");
    assert.deepEqual(q.returned, ["dlv_second"]);
    assert.deepEqual(
      q.written.map((c) => c.id),
      ["dlv_first"],
    );
  });
});
