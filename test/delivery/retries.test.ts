// Retrying: the backoff arithmetic as pure functions (random and clock injected), then real
// deliveries through a running Herald to a node:http receiver that fails on purpose, checking
// what each attempt records and when the next one happens.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { nextAttemptAt, parseRetryAfter, type RetryPolicy } from "../../src/delivery/backoff.ts";
import { heraldForSuite, type TestHerald, waitFor } from "../helpers.ts";
import { freePort } from "../support/processes.ts";
import { startReceiver } from "../support/receiver.ts";

describe("backoff", () => {
  const policy: RetryPolicy = {
    retryBaseMs: 1_000,
    retryMaxWaitMs: 10_000,
    retryWindowMs: 86_400_000,
    maxAttempts: undefined,
  };
  const now = 1_700_000_000_000;
  const createdAt = now - 60_000;
  const almostOne = () => 1 - Number.EPSILON;
  const noJitter = () => {
    throw new Error("jitter drawn although Retry-After was given");
  };
  const at = (attempts: number, random: () => number, p = policy, retryAfterMs?: number) =>
    nextAttemptAt(p, attempts, createdAt, now, retryAfterMs, random);

  test("full jitter: the wait is anywhere in [0, min(cap, base * 2^(n-1))]", () => {
    const ceilings: [number, number][] = [
      [1, 1_000],
      [2, 2_000],
      [3, 4_000],
      [4, 8_000],
      [5, 10_000],
    ];
    for (const [n, ceiling] of ceilings) {
      assert.equal(
        at(n, () => 0),
        now,
        `attempt ${n}, random 0`,
      );
      assert.equal(at(n, almostOne), now + ceiling, `attempt ${n}, random ~1`);
      assert.equal(
        at(n, () => 0.25),
        now + ceiling / 4,
        `attempt ${n}, random 0.25`,
      );
    }
  });

  test("the ceiling doubles with each attempt", () => {
    const waits = [1, 2, 3, 4].map((n) => (at(n, () => 0.5) as number) - now);
    assert.deepEqual(waits, [500, 1_000, 2_000, 4_000]);
  });

  test("no wait exceeds the cap, however many attempts", () => {
    for (const n of [5, 6, 20, 64, 1_000, 100_000]) {
      assert.equal(at(n, almostOne), now + 10_000, `attempt ${n}`);
    }
  });

  test("a retry that would land past the window means failed for good (null)", () => {
    const p = { ...policy, retryWindowMs: 60_300 }; // 300 ms of window left at `now`
    assert.equal(
      at(1, () => 0.5, p),
      null,
    ); // 500 ms wait
    assert.equal(
      at(1, () => 0.2, p),
      now + 200,
    );
    assert.equal(
      at(1, () => 0.3, p),
      now + 300,
    ); // exactly at the window's end is still allowed
    const spent = { ...policy, retryWindowMs: 59_000 };
    assert.equal(
      at(1, () => 0, spent),
      null,
    );
  });

  test("maxAttempts reached means failed for good (null)", () => {
    const p = { ...policy, maxAttempts: 3 };
    assert.equal(
      at(1, () => 0.5, p),
      now + 500,
    );
    assert.equal(
      at(2, () => 0.5, p),
      now + 1_000,
    );
    assert.equal(
      at(3, () => 0.5, p),
      null,
    );
    assert.equal(
      at(4, () => 0.5, p),
      null,
    );
    assert.equal(at(3, noJitter, p, 1_000), null);
  });

  test("Retry-After replaces the jitter and is bounded by the cap and the window", () => {
    assert.equal(at(1, noJitter, policy, 7_000), now + 7_000);
    assert.equal(at(1, noJitter, policy, 0), now);
    assert.equal(at(1, noJitter, policy, 3_600_000), now + 10_000);
    const p = { ...policy, retryWindowMs: 65_000 }; // 5 s of window left
    assert.equal(at(1, noJitter, p, 7_000), null);
  });

  test("parseRetryAfter reads delay-seconds", () => {
    assert.equal(parseRetryAfter("1", now), 1_000);
    assert.equal(parseRetryAfter("120", now), 120_000);
    assert.equal(parseRetryAfter(" 5 ", now), 5_000);
    assert.equal(parseRetryAfter(["3", "9"], now), 3_000);
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter("", now), undefined);
    assert.equal(parseRetryAfter("soon", now), undefined);
    assert.equal(parseRetryAfter("1.5", now), undefined);
  });

  test("parseRetryAfter reads an HTTP date, and a past date means now", () => {
    const t = Date.UTC(2015, 9, 21, 7, 27, 0);
    assert.equal(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", t), 60_000);
    assert.equal(parseRetryAfter(new Date(now + 30_000).toUTCString(), now), 30_000);
    assert.equal(parseRetryAfter("Wed, 21 Oct 2015 07:26:00 GMT", t), 0);
  });
});

interface Attempt {
  number: number;
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  error_kind: string | null;
  error_message: string | null;
  response_body: string | null;
}

interface Delivery {
  id: string;
  status: string;
  attempts: Attempt[];
  last_status_code: number | null;
  created_at: string;
}

/** Creates an endpoint for `url`, sends it one event; returns the delivery id. */
async function deliverTo(herald: TestHerald, url: string): Promise<string> {
  const ep = await herald.api("POST", "/v1/endpoints", { url });
  assert.equal(ep.status, 201, JSON.stringify(ep.body));
  const ev = await herald.api("POST", "/v1/events", {
    type: "retry.test",
    payload: { url },
    endpoint_ids: [ep.body.id],
  });
  assert.equal(ev.status, 202, JSON.stringify(ev.body));
  const got = await herald.api("GET", `/v1/events/${ev.body.id}`);
  assert.equal(got.body.deliveries.length, 1);
  return got.body.deliveries[0].id;
}

/** Waits until the delivery satisfies `done`; returns it with its attempts. */
async function deliveryWhen(
  herald: TestHerald,
  id: string,
  done: (d: Delivery) => boolean,
  what: string,
): Promise<Delivery> {
  let last: Delivery | undefined;
  await waitFor(
    async () => {
      const res = await herald.api("GET", `/v1/deliveries/${id}`);
      assert.equal(res.status, 200);
      last = res.body as Delivery;
      return done(last);
    },
    8_000,
    `${id}: ${what}`,
  );
  return last as Delivery;
}

describe("retrying deliveries", () => {
  const { herald, receiver } = heraldForSuite(
    { retryBaseMs: 20, pollIntervalMs: 50, maxAttempts: 3, timeoutMs: 200, leaseMs: 10_000 },
    () => startReceiver(),
  );

  const settled = (id: string) =>
    deliveryWhen(herald, id, (d) => d.status === "succeeded" || d.status === "failed", "settled");
  const firstAttempt = async (id: string) => {
    const d = await deliveryWhen(herald, id, (x) => x.attempts.length >= 1, "an attempt");
    return d.attempts[0] as Attempt;
  };

  test("500 then 200: succeeded after 2 attempts, each recorded with a 1 KiB body excerpt", async () => {
    const big = Array.from({ length: 5 * 1024 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(
      "",
    );
    receiver.on("/flaky", (n, res) => {
      if (n === 1) res.writeHead(500, { "content-type": "text/plain" }).end(big);
      else res.writeHead(200).end("thanks");
    });
    const id = await deliverTo(herald, `${receiver.url}/flaky`);
    const d = await settled(id);
    assert.equal(d.status, "succeeded");
    assert.equal(d.last_status_code, 200);
    assert.equal(d.attempts.length, 2);
    const [a1, a2] = d.attempts as [Attempt, Attempt];
    assert.deepEqual(
      [a1.number, a1.status_code, a1.error_kind, a2.number, a2.status_code, a2.error_kind],
      [1, 500, "http_error", 2, 200, null],
    );
    assert.equal(Buffer.byteLength(a1.response_body ?? "", "utf8"), 1024);
    assert.equal(a1.response_body, big.slice(0, 1024));
    assert.equal(a2.response_body, "thanks");
    for (const a of [a1, a2]) {
      assert.ok(!Number.isNaN(Date.parse(a.started_at)), `started_at ${a.started_at}`);
      assert.ok(Number.isInteger(a.duration_ms) && a.duration_ms >= 0, `${a.duration_ms}`);
    }
    assert.ok(Date.parse(a2.started_at) >= Date.parse(a1.started_at));
    assert.equal(receiver.requests("/flaky").length, 2);
  });

  test("429 with Retry-After: 1 holds the next attempt back about a second", async () => {
    receiver.on("/busy", (n, res) => {
      if (n === 1) res.writeHead(429, { "retry-after": "1" }).end();
      else res.writeHead(200).end();
    });
    const id = await deliverTo(herald, `${receiver.url}/busy`);
    const d = await settled(id);
    assert.equal(d.status, "succeeded");
    const [a1, a2] = d.attempts as [Attempt, Attempt];
    assert.equal(a1.status_code, 429);
    assert.equal(a1.error_kind, "http_error");
    // With retryBaseMs 20 the jitter alone would retry within ~20 ms.
    const gap = Date.parse(a2.started_at) - Date.parse(a1.started_at);
    assert.ok(gap >= 950, `second attempt only ${gap} ms after the first`);
  });

  test("with maxAttempts 3, an endpoint that always fails gets exactly 3 attempts, then failed", async () => {
    receiver.on("/down", (_n, res) => res.writeHead(500).end());
    const id = await deliverTo(herald, `${receiver.url}/down`);
    const d = await settled(id);
    assert.equal(d.status, "failed");
    assert.deepEqual(
      d.attempts.map((a) => [a.number, a.status_code, a.error_kind]),
      [
        [1, 500, "http_error"],
        [2, 500, "http_error"],
        [3, 500, "http_error"],
      ],
    );
    assert.equal(receiver.requests("/down").length, 3);
  });

  test("an endpoint that never answers is recorded as a timeout", async () => {
    receiver.on("/hang", () => {}); // never answers; closing the receiver drops the socket
    const id = await deliverTo(herald, `${receiver.url}/hang`);
    const a = await firstAttempt(id);
    assert.equal(a.error_kind, "timeout");
    assert.equal(a.status_code, null);
  });

  test("a closed local port is recorded as connect_error", async () => {
    // Nothing listens on a port freePort() has handed out.
    const id = await deliverTo(herald, `http://127.0.0.1:${await freePort()}/hook`);
    const a = await firstAttempt(id);
    assert.equal(a.error_kind, "connect_error", String(a.error_message));
    assert.equal(a.status_code, null);
  });

  test("a host that does not resolve is recorded as dns_error", async () => {
    const id = await deliverTo(herald, "http://nonexistent.invalid/hook");
    const a = await firstAttempt(id);
    assert.equal(a.error_kind, "dns_error", String(a.error_message));
    assert.equal(a.status_code, null);
  });
});

describe("retry window", () => {
  const { herald, receiver } = heraldForSuite(
    {
      retryBaseMs: 20,
      pollIntervalMs: 50,
      retryWindowMs: 500,
      maxAttempts: undefined,
      circuitFailures: 1000,
    },
    () => startReceiver(),
  );

  test("a delivery whose retry window is spent becomes failed", async () => {
    receiver.on("/down", (_n, res) => res.writeHead(500).end());
    const id = await deliverTo(herald, `${receiver.url}/down`);
    const d = await deliveryWhen(herald, id, (x) => x.status === "failed", "failed");
    assert.ok(d.attempts.length >= 2, `only ${d.attempts.length} attempt(s) inside the window`);
    assert.equal(receiver.requests("/down").length, d.attempts.length);
    for (const a of d.attempts) assert.equal(a.error_kind, "http_error");
    assert.equal(d.last_status_code, 500);
  });
});
