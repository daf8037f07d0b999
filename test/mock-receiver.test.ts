// The chaos receiver used by benchmarks and chaos runs: its failure modes, its signature check
// and its counters must be what they claim, or every result measured with it is wrong.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { after, afterEach, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type MockReceiver, startMockReceiver } from "../src/mock-receiver/server.ts";
import { generateSecret, sign } from "../src/signing/standard-webhooks.ts";
import { freePort } from "./support/processes.ts";

const HERALD_BIN = fileURLToPath(new URL("../bin/herald.js", import.meta.url));

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<number> {
  const res = await fetch(`${url}/hook`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    signal,
  });
  await res.text();
  return res.status;
}

async function stats(url: string) {
  const res = await fetch(`${url}/stats`);
  assert.equal(res.status, 200);
  return (await res.json()) as {
    requests: number;
    unique_ids: number;
    duplicates: number;
    bad_signatures: number;
    answered: Record<string, number>;
  };
}

describe("startMockReceiver", () => {
  let receiver: MockReceiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  test("failureRate 1 answers every request 500", async () => {
    receiver = await startMockReceiver({ port: 0, failureRate: 1 });
    for (let i = 0; i < 3; i++) {
      assert.equal(await post(receiver.url, "{}", { "webhook-id": `f${i}` }), 500);
    }
    const s = await stats(receiver.url);
    assert.equal(s.requests, 3);
    assert.deepEqual(s.answered, { "500": 3 });
    assert.equal(receiver.delivered().size, 0);
  });

  test("timeoutRate 1 never answers: the client times out", async () => {
    receiver = await startMockReceiver({ port: 0, timeoutRate: 1 });
    await assert.rejects(
      post(receiver.url, "{}", { "webhook-id": "hang" }, AbortSignal.timeout(300)),
      { name: "TimeoutError" },
    );
    const s = await stats(receiver.url);
    assert.equal(s.requests, 1);
    assert.deepEqual(s.answered, {});
  });

  test("close() ends even while a request is held open", async () => {
    receiver = await startMockReceiver({ port: 0, timeoutRate: 1 });
    const pending = post(receiver.url, "{}", { "webhook-id": "held" }).catch((e) => e);
    const url = receiver.url;
    // Wait until the receiver has the request, then close under it.
    for (let i = 0; i < 200 && (await stats(url)).requests < 1; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await receiver.close();
    receiver = undefined;
    assert.ok((await pending) instanceof Error, "the held request fails once the receiver closes");
  });

  test("with a secret: a bad signature gets 401 and is counted, a good one gets 200", async () => {
    const secret = generateSecret();
    receiver = await startMockReceiver({ port: 0, secret });
    const body = JSON.stringify({ amount: 42 });
    const ts = Math.floor(Date.now() / 1000);

    const wrongKey = sign(generateSecret(), "msg_1", ts, body);
    const bad = { "webhook-id": "msg_1", "webhook-timestamp": String(ts) };
    assert.equal(await post(receiver.url, body, { ...bad, "webhook-signature": wrongKey }), 401);
    // Right key, but over another body: the signature covers the bytes.
    const otherBody = sign(secret, "msg_1", ts, "{}");
    assert.equal(await post(receiver.url, body, { ...bad, "webhook-signature": otherBody }), 401);
    assert.equal(await post(receiver.url, body, bad), 401, "no signature at all");

    const good = sign(secret, "msg_1", ts, body);
    assert.equal(await post(receiver.url, body, { ...bad, "webhook-signature": good }), 200);
    // During a rotation two signatures are sent; one valid signature is enough.
    const rotated = `${wrongKey} ${sign(secret, "msg_2", ts, body)}`;
    const headers = { "webhook-id": "msg_2", "webhook-timestamp": String(ts) };
    assert.equal(await post(receiver.url, body, { ...headers, "webhook-signature": rotated }), 200);

    const s = await stats(receiver.url);
    assert.equal(s.bad_signatures, 3);
    assert.equal(s.answered["401"], 3);
    assert.equal(s.answered["200"], 2);
  });

  test("GET /stats counts requests, unique ids and duplicates (ids resent after a 200)", async () => {
    // failureRate 0.5 with a scripted random: < 0.5 fails, otherwise succeeds.
    const rolls = [0.1, 0.9, 0.9, 0.9, 0.2];
    receiver = await startMockReceiver({
      port: 0,
      failureRate: 0.5,
      random: () => rolls.shift() ?? 0.9,
    });
    const send = (id: string) => post(receiver!.url, "{}", { "webhook-id": id });
    assert.equal(await send("a"), 500); // a failed: a resend is a retry, not a duplicate
    assert.equal(await send("a"), 200);
    assert.equal(await send("b"), 200);
    assert.equal(await send("a"), 200); // a was already answered 200: duplicate
    assert.equal(await send("b"), 500); // b again, even answered 500, was already delivered
    assert.equal(await send("c"), 200);

    const s = await stats(receiver.url);
    assert.equal(s.requests, 6);
    assert.equal(s.unique_ids, 3);
    assert.equal(s.duplicates, 2);
    assert.equal(s.bad_signatures, 0);
    assert.deepEqual(s.answered, { "200": 4, "500": 2 });
    assert.deepEqual([...receiver.delivered()].sort(), ["a", "b", "c"]);
  });
});

describe("herald mock-receiver (CLI)", () => {
  const children: ChildProcess[] = [];
  after(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  });

  function run(args: string[]) {
    const child = spawn(process.execPath, [HERALD_BIN, "mock-receiver", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    const out = { stdout: "", stderr: "" };
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out.stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      out.stderr += d;
    });
    const exited = new Promise<number | null>((r) => child.once("close", (code) => r(code)));
    return { child, out, exited };
  }

  test("--port starts a receiver that serves /stats, and SIGTERM stops it", async () => {
    const port = await freePort();
    const { child, out, exited } = run(["--port", String(port), "--failure-rate", "1"]);
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 20_000;
    while (!out.stdout.includes("listening")) {
      if (child.exitCode !== null) assert.fail(`mock-receiver exited: ${out.stderr}`);
      if (Date.now() > deadline) assert.fail(`mock-receiver did not start: ${out.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(out.stdout.includes(url), out.stdout);
    assert.equal(await post(url, "{}", { "webhook-id": "x" }), 500);
    const s = await stats(url);
    assert.equal(s.requests, 1);
    assert.deepEqual(s.answered, { "500": 1 });

    child.kill("SIGTERM");
    assert.equal(await exited, 0);
  });

  test("a bad flag value (--failure-rate 2) exits with code 2 and says why", async () => {
    const { out, exited } = run(["--port", "0", "--failure-rate", "2"]);
    assert.equal(await exited, 2);
    assert.match(out.stderr, /--failure-rate/);
  });
});
