// Receivers that misbehave the way servers on the internet do: a NUL byte or invalid UTF-8 in
// the body, a 1 MiB header, a 50 MiB body, a body trickled a byte a second, a redirect, no
// answer at all. Each attempt is recorded as what it was, within the attempt's deadline, and
// a healthy endpoint beside them gets every one of its deliveries exactly once.
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { describe, test } from "node:test";
import { heraldForSuite, type TestHerald, waitFor } from "../helpers.ts";
import { startReceiver } from "../support/receiver.ts";

interface Attempt {
  number: number;
  duration_ms: number;
  status_code: number | null;
  error_kind: string | null;
  error_message: string | null;
  response_body: string | null;
}

const TIMEOUT_MS = 1_000;

/** Answers that keep writing after the test ends are stopped by this. */
const stoppers: (() => void)[] = [];

function trickle(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/plain" });
  res.write("x"); // the headers go out with it
  const timer = setInterval(() => res.write("x"), 1_000);
  const stop = () => clearInterval(timer);
  res.on("close", stop);
  stoppers.push(stop);
}

function hugeBody(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/octet-stream" });
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  Readable.from(
    (function* () {
      for (let i = 0; i < 50; i++) yield chunk;
    })(),
  ).pipe(res);
}

async function endpoint(herald: TestHerald, url: string): Promise<string> {
  const res = await herald.api("POST", "/v1/endpoints", { url, event_types: [] });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

async function send(herald: TestHerald, endpointId: string, n = 1): Promise<string[]> {
  const ids: string[] = [];
  await Promise.all(
    Array.from({ length: n }, async () => {
      const res = await herald.api("POST", "/v1/events", {
        type: "hostile.test",
        payload: { at: Date.now() },
        endpoint_ids: [endpointId],
      });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      ids.push(res.body.id);
    }),
  );
  return ids;
}

describe("hostile receivers", () => {
  const { herald, receiver } = heraldForSuite(
    {
      timeoutMs: TIMEOUT_MS,
      // Short enough that an attempt outliving its deadline would lose its lease and be sent
      // again: the deadline is what keeps that from happening.
      leaseMs: 3_000,
      maxAttempts: 1,
      pollIntervalMs: 50,
    },
    () => startReceiver(),
  );

  /** The one attempt of the one delivery made to `path`, once it is recorded. */
  async function onlyAttempt(path: string): Promise<Attempt> {
    const ep = await endpoint(herald, `${receiver.url}${path}`);
    const [eventId] = await send(herald, ep);
    const attempts = await waitFor(
      async () => {
        const ev = await herald.api("GET", `/v1/events/${eventId}`);
        const d = await herald.api("GET", `/v1/deliveries/${ev.body.deliveries[0].id}`);
        return d.body.status === "failed" || d.body.status === "succeeded"
          ? (d.body.attempts as Attempt[])
          : undefined;
      },
      10_000,
      `the delivery to ${path} settled`,
    );
    assert.equal(attempts.length, 1, JSON.stringify(attempts));
    return attempts[0] as Attempt;
  }

  test("a NUL byte and invalid UTF-8 in a body are recorded, escaped", async () => {
    receiver.on("/nul", (_n, res) => res.writeHead(200).end(Buffer.from("ok\u0000done\u001b")));
    receiver.on("/bad-utf8", (_n, res) =>
      res.writeHead(500).end(Buffer.from([0x6f, 0xff, 0xfe, 0x6b])),
    );
    const nul = await onlyAttempt("/nul");
    assert.equal(nul.error_kind, null);
    assert.equal(nul.response_body, "ok\\u0000done\\u001b");
    const bad = await onlyAttempt("/bad-utf8");
    assert.equal(bad.error_kind, "http_error");
    assert.equal(bad.status_code, 500);
    assert.equal(bad.response_body, "o\ufffd\ufffdk");
  });

  test("a 1 MiB header is an invalid_response", async () => {
    receiver.on("/big-header", (_n, res) =>
      res.writeHead(200, { "x-padding": "a".repeat(1024 * 1024) }).end("ok"),
    );
    const a = await onlyAttempt("/big-header");
    assert.equal(a.error_kind, "invalid_response", String(a.error_message));
  });

  test("a 50 MiB body is cut off after its excerpt", async () => {
    receiver.on("/huge", (_n, res) => hugeBody(res));
    const a = await onlyAttempt("/huge");
    assert.equal(a.error_kind, null);
    assert.equal(a.status_code, 200);
    assert.equal(a.response_body, "a".repeat(1024));
  });

  test("a body trickled a byte a second ends at the deadline, and is never sent twice", async () => {
    receiver.on("/trickle", (_n, res) => trickle(res));
    const a = await onlyAttempt("/trickle");
    assert.equal(a.error_kind, "timeout", String(a.error_message));
    assert.equal(a.status_code, 200);
    // The deadline counts from the claim (worker.ts), so an attempt that waited for its turn
    // (a loaded machine: 100 ms in CI) has less than TIMEOUT_MS of its own; it never has more.
    assert.ok(
      a.duration_ms >= TIMEOUT_MS / 2 && a.duration_ms < 2 * TIMEOUT_MS,
      `${a.duration_ms} ms`,
    );
    // Past the 3 s lease: had the attempt still been running, the reaper would have freed it.
    await new Promise((r) => setTimeout(r, 3_500));
    assert.equal(receiver.requests("/trickle").length, 1);
  });

  test("a redirect is recorded, not followed", async () => {
    receiver.on("/moved", (_n, res) => res.writeHead(302, { location: "/elsewhere" }).end());
    const a = await onlyAttempt("/moved");
    assert.equal(a.error_kind, "http_error");
    assert.equal(a.status_code, 302);
    assert.match(String(a.error_message), /not followed/);
    assert.equal(receiver.requests("/elsewhere").length, 0);
  });

  test("a receiver that never answers is a timeout at the deadline", async () => {
    receiver.on("/never", () => {});
    const a = await onlyAttempt("/never");
    assert.equal(a.error_kind, "timeout");
    assert.ok(a.duration_ms < 2 * TIMEOUT_MS, `${a.duration_ms} ms`);
  });

  test("beside all of them at once, a healthy endpoint gets each delivery exactly once", async () => {
    receiver.on("/nul2", (_n, res) => res.writeHead(200).end(Buffer.from("\u0000")));
    receiver.on("/trickle2", (_n, res) => trickle(res));
    receiver.on("/never2", () => {});
    receiver.on("/huge2", (_n, res) => hugeBody(res));
    receiver.on("/healthy", (_n, res) => res.writeHead(200).end("fine"));
    const hostile = await Promise.all(
      ["/nul2", "/trickle2", "/never2", "/huge2"].map((p) =>
        endpoint(herald, `${receiver.url}${p}`),
      ),
    );
    const healthy = await endpoint(herald, `${receiver.url}/healthy`);
    for (const ep of hostile) await send(herald, ep, 5);
    const ids = await send(herald, healthy, 50);
    await waitFor(
      () => receiver.requests("/healthy").length >= 50,
      15_000,
      "50 healthy deliveries",
    );
    // Past the lease: a delivery that was not recorded would have been sent again by now.
    await new Promise((r) => setTimeout(r, 3_500));
    const got = receiver.requests("/healthy").map((r) => String(r.headers["webhook-id"]));
    assert.equal(got.length, 50, "each healthy delivery arrived once");
    assert.deepEqual([...new Set(got)].sort(), [...ids].sort());
    for (const stop of stoppers) stop();
  });
});
