// The API protects itself from slow clients: a request whose body (or headers) is trickled
// gets 408 request_timeout and is disconnected, on /v1 as on /in/:source; an idle keep-alive
// connection is closed; past the connection cap new connections are refused. Raw sockets, as a
// slow client would use them.
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { describe, test } from "node:test";
import { API_KEY, heraldForSuite } from "../helpers.ts";

const REQUEST_TIMEOUT_MS = 1_000;

interface Conversation {
  socket: Socket;
  /** Everything the server sent until it closed the connection. */
  closed: Promise<{ text: string; afterMs: number }>;
}

function open(url: string): Promise<Conversation> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      const started = Date.now();
      let text = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => {
        text += chunk;
      });
      const closed = new Promise<{ text: string; afterMs: number }>((done) =>
        socket.on("close", () => done({ text, afterMs: Date.now() - started })),
      );
      resolve({ socket, closed });
    });
    socket.on("error", reject);
  });
}

/** Writes `body` a byte every `everyMs` until the socket closes. */
function trickle(socket: Socket, body: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= body.length) return clearInterval(timer);
    socket.write(body[i++] as string);
  }, everyMs);
  socket.on("close", () => clearInterval(timer));
}

function assertTimedOut(answer: { text: string; afterMs: number }): void {
  assert.match(answer.text, /^HTTP\/1\.1 408 /, answer.text);
  const body = JSON.parse(answer.text.slice(answer.text.indexOf("\r\n\r\n") + 4));
  assert.equal(body.error.code, "request_timeout");
  // The timeout, plus at most Node's once-a-second check.
  assert.ok(answer.afterMs < REQUEST_TIMEOUT_MS + 2_500, `closed after ${answer.afterMs} ms`);
}

describe("slow clients", () => {
  const { db, herald } = heraldForSuite({
    role: "api",
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    headersTimeoutMs: 500,
    keepAliveTimeoutMs: 500,
    maxConnections: 8,
  });
  const events = async () =>
    (await db.sql<{ n: number }[]>`select count(*)::int as n from events`)[0]?.n;

  test("a body trickled a byte at a time is 408 request_timeout and disconnected", async () => {
    const before = await events();
    const body = JSON.stringify({ type: "slow", payload: { n: 1 } });
    const c = await open(herald.url as string);
    c.socket.write(
      `POST /v1/events HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${API_KEY}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
    );
    trickle(c.socket, body, 300);
    assertTimedOut(await c.closed);
    assert.equal(await events(), before, "nothing stored");
  });

  test("POST /in/:source is protected the same way", async () => {
    const src = await herald.inject("POST", "/v1/sources", { name: "slow", provider: "none" });
    assert.equal(src.status, 201, JSON.stringify(src.body));
    const c = await open(herald.url as string);
    c.socket.write(
      `POST /in/${src.body.id} HTTP/1.1\r\nhost: x\r\ncontent-type: text/plain\r\ncontent-length: 1000\r\n\r\n`,
    );
    trickle(c.socket, "x".repeat(1000), 300);
    assertTimedOut(await c.closed);
  });

  test("headers that never end are 408 too", async () => {
    const c = await open(herald.url as string);
    c.socket.write("GET /health/live HTTP/1.1\r\nhost: x\r\n");
    trickle(c.socket, "x-slow: ".padEnd(200, "y"), 200);
    assertTimedOut(await c.closed);
  });

  test("an idle keep-alive connection is closed", async () => {
    const c = await open(herald.url as string);
    c.socket.write("GET /health/live HTTP/1.1\r\nhost: x\r\n\r\n");
    const { text, afterMs } = await c.closed;
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.ok(afterMs < 500 + 2_500, `closed after ${afterMs} ms`);
  });

  test("past HERALD_MAX_CONNECTIONS new connections are refused", async () => {
    const held = await Promise.all(Array.from({ length: 8 }, () => open(herald.url as string)));
    // Each starts a request and keeps it open, so none is idle.
    for (const c of held) c.socket.write("GET /health/live HTTP/1.1\r\nhost: x\r\n");
    await new Promise((r) => setTimeout(r, 100));
    const extra = await open(herald.url as string);
    extra.socket.write("GET /health/live HTTP/1.1\r\nhost: x\r\n\r\n");
    const { text } = await extra.closed;
    assert.equal(text, "", "refused without an answer");
    for (const c of held) c.socket.destroy();
  });
});
