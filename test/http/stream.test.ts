// GET /v1/stream: the dashboard's live feed. It needs the API key (header) or a stream token
// (?access_token= for EventSource, never the key itself, never logged); it pushes new events, delivery status changes, endpoint
// changes and the overview numbers to every connected client from one shared poller, which
// runs only while someone listens; it resumes from Last-Event-ID, says `lag` instead of
// flooding, and never keeps app.close() waiting.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import pino from "pino";
import { TokenSigner } from "../../src/auth/tokens.ts";
import { startHerald } from "../../src/herald.ts";
import { streamTokenSigner } from "../../src/http/routes/stream.ts";
import {
  API_KEY,
  callApi,
  heraldForSuite,
  type MigratedDatabase,
  migratedDatabase,
  testConfig,
  waitFor,
} from "../helpers.ts";
import { startReceiver } from "../support/receiver.ts";
import { openStream, type SseClient } from "../support/sse.ts";

const POLL_MS = 200;

describe("live stream", () => {
  const { db, herald, receiver } = heraldForSuite(
    { streamPollMs: POLL_MS, streamStatsMs: 300, streamLingerMs: 0 },
    () => startReceiver(),
  );
  const feed = () => herald.app!.changeFeed;
  const open = (
    query = "",
    headers: Record<string, string> = { authorization: `Bearer ${API_KEY}` },
  ) => openStream(`${herald.url}/v1/stream${query}`, headers);
  const clients: SseClient[] = [];
  /** An open, ready stream (closed by the test that opened it, or at the end). */
  async function ready(headers?: Record<string, string>, query = ""): Promise<SseClient> {
    const client = await open(query, headers);
    clients.push(client);
    assert.equal(client.status, 200, JSON.stringify(client.body));
    await client.next((m) => m.event === "ready", 5_000, "ready");
    return client;
  }
  const closeAll = () => {
    for (const c of clients.splice(0)) c.close();
  };
  async function streamToken(key = API_KEY): Promise<string> {
    const res = await herald.api("POST", "/v1/stream-tokens", undefined, {
      authorization: `Bearer ${key}`,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.match(res.body.token, /^hst_[\w-]+\.[\w-]+$/);
    const ttl = Date.parse(res.body.expires_at) - Date.now();
    assert.ok(ttl > 4 * 60_000 && ttl <= 5 * 60_000, `expires in ${ttl} ms`);
    return res.body.token;
  }

  test("before any client connects the poller has not run, whatever Herald does", async () => {
    const ep = await herald.api("POST", "/v1/endpoints", { url: `${receiver.url}/quiet` });
    assert.equal(ep.status, 201);
    const ev = await herald.api("POST", "/v1/events", { type: "t", payload: {} });
    assert.equal(ev.status, 202);
    await new Promise((r) => setTimeout(r, POLL_MS * 3));
    assert.equal(feed().polls, 0);
    assert.equal(feed().running, false);
    assert.equal(feed().subscriberCount, 0);
  });

  test("without a valid key or stream token it is 401; with the header or a token it streams", async () => {
    const token = await streamToken();
    const signer = streamTokenSigner(herald.ctx);
    const [body, mac] = token.slice(4).split(".") as [string, string];
    const grant = JSON.parse(Buffer.from(body, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...grant, e: grant.e + 3_600_000 })).toString(
      "base64url",
    );
    const refused: [string, Record<string, string>][] = [
      ["", {}],
      ["", { authorization: "Bearer wrong-key-0123456789" }],
      ["?access_token=wrong-key-0123456789", {}],
      ["?access_token=", {}],
      // The key itself is never taken in a URL.
      [`?access_token=${encodeURIComponent(API_KEY)}`, {}],
      // A token whose expiry was changed, one expired, one signed with another key.
      [`?access_token=hst_${forged}.${mac}`, {}],
      [`?access_token=${signer.sign({ k: grant.k, e: Date.now() - 1 })}`, {}],
      [
        `?access_token=${new TokenSigner("hst_", [Buffer.alloc(32)], (v): v is typeof grant => true).sign(grant)}`,
        {},
      ],
      // A header, even a wrong one, is what counts: the token does not rescue it.
      [`?access_token=${token}`, { authorization: "Bearer wrong-key-0123456789" }],
    ];
    for (const [query, headers] of refused) {
      const res = await open(query, headers);
      assert.equal(res.status, 401, `${query} ${JSON.stringify(headers)}`);
      assert.equal(res.body.error.code, "unauthorized");
    }
    // The token is taken on the stream only, not on the rest of the API.
    const list = await fetch(`${herald.url}/v1/events?access_token=${token}`);
    assert.equal(list.status, 401);
    await list.body?.cancel();

    for (const [query, headers] of [
      ["", { authorization: `Bearer ${API_KEY}` }],
      [`?access_token=${token}`, {}],
      // Reusable until it expires: EventSource reconnects with the same URL.
      [`?access_token=${token}`, {}],
    ] as const) {
      const client = await ready(headers, query);
      assert.match(client.headers.get("content-type") ?? "", /^text\/event-stream/);
      assert.equal(client.headers.get("cache-control"), "no-cache, no-transform");
      assert.match(client.text(), /^retry: \d+\n\n/);
      const hello = client.messages[0]!;
      assert.equal(hello.event, "ready");
      assert.equal(hello.data.resumed, false);
      assert.match(hello.id ?? "", /^[0-9a-f]+-\d+$/);
    }
    closeAll();
  });

  test("a stream token stands for its key: a read-only key may make one, a tenant key may not, revoking the key ends it", async () => {
    const make = async (body: object) => (await herald.api("POST", "/v1/api-keys", body)).body;
    const reader = await make({ name: "viewer", scope: "admin:read" });
    const token = await streamToken(reader.key);
    (await ready({}, `?access_token=${token}`)).close();
    const tenant = await make({ name: "t", scope: "tenant", tenant: "acme" });
    const refused = await herald.api("POST", "/v1/stream-tokens", undefined, {
      authorization: `Bearer ${tenant.key}`,
    });
    assert.equal(refused.status, 403);
    assert.equal((await herald.api("DELETE", `/v1/api-keys/${reader.id}`)).status, 204);
    const after = await open(`?access_token=${token}`, {});
    assert.equal(after.status, 401);
    closeAll();
  });

  test("a new event, its delivery as it succeeds and a new endpoint reach every client, the same", async () => {
    const a = await ready();
    const b = await ready();
    const ep = await herald.api("POST", "/v1/endpoints", { url: `${receiver.url}/live` });
    assert.equal(ep.status, 201);
    const created = await a.next((m) => m.event === "endpoint" && m.data.id === ep.body.id);
    assert.equal(created.data.url, `${receiver.url}/live`);
    assert.equal(created.data.deleted, false);
    assert.equal(created.data.secret, undefined, "never a secret");

    const posted = Date.now();
    const res = await herald.api("POST", "/v1/events", {
      id: "evt-live-1",
      type: "order.paid",
      payload: { n: 1 },
      endpoint_ids: [ep.body.id],
    });
    assert.equal(res.status, 202);
    const event = await a.next((m) => m.event === "event" && m.data.id === "evt-live-1", 2_000);
    assert.ok(Date.now() - posted < 2_000);
    assert.deepEqual(Object.keys(event.data).sort(), [
      "created_at",
      "deliveries",
      "id",
      "source",
      "tenant",
      "type",
    ]);
    assert.equal(event.data.type, "order.paid");
    assert.equal(event.data.deliveries, 1);
    assert.match(event.id ?? "", /^[0-9a-f]+-\d+$/);

    const done = await a.next(
      (m) =>
        m.event === "delivery" && m.data.event_id === "evt-live-1" && m.data.status === "succeeded",
      5_000,
      "the delivery's success",
    );
    assert.equal(done.data.endpoint_id, ep.body.id);
    assert.equal(done.data.attempt_count, 1);
    assert.equal(done.data.last_status_code, 200);
    assert.equal(done.data.last_error, null);
    assert.equal(receiver.requests("/live").length, 1);
    for (const key of [
      "id",
      "event_id",
      "endpoint_id",
      "status",
      "attempt_count",
      "last_status_code",
      "last_error",
      "updated_at",
    ]) {
      assert.ok(key in done.data, key);
    }

    // The second client got the very same messages, ids included.
    const ofInterest = (c: SseClient) =>
      c.messages
        .filter((m) => m.event !== "stats" && m.event !== "ready")
        .map((m) => [m.id, m.event, m.data]);
    await waitFor(() => ofInterest(b).length >= ofInterest(a).length, 2_000, "b to catch up");
    assert.deepEqual(ofInterest(b).slice(0, ofInterest(a).length), ofInterest(a));
    // Ids grow.
    const ns = a.messages.filter((m) => m.id).map((m) => Number(m.id!.split("-")[1]));
    assert.deepEqual(
      ns,
      [...ns].sort((x, y) => x - y),
    );
    closeAll();
  });

  test("endpoint changes are pushed: disabled, enabled, edited, deleted", async () => {
    const client = await ready();
    const ep = await herald.api("POST", "/v1/endpoints", { url: `${receiver.url}/ops` });
    const id = ep.body.id as string;
    const seen = (pred: (d: any) => boolean, what: string) =>
      client.next((m) => m.event === "endpoint" && m.data.id === id && pred(m.data), 3_000, what);
    await seen((d) => d.enabled, "created");
    await herald.api("POST", `/v1/endpoints/${id}/disable`, { reason: "maintenance" });
    await seen(
      (d) => !d.enabled && d.disabled_reason === "disabled by hand: maintenance",
      "disabled",
    );
    await herald.api("POST", `/v1/endpoints/${id}/enable`);
    await seen((d) => d.enabled && d.disabled_reason === null, "enabled");
    await herald.api("PATCH", `/v1/endpoints/${id}`, { description: "renamed" });
    await seen((d) => d.description === "renamed", "edited");
    await herald.api("DELETE", `/v1/endpoints/${id}`);
    await seen((d) => d.deleted === true, "deleted");
    closeAll();
  });

  test("the overview numbers come as `stats`, again and again", async () => {
    const client = await ready();
    const first = await client.next((m) => m.event === "stats", 3_000, "stats");
    assert.equal(first.id, undefined, "stats are not replayed, so they carry no id");
    assert.equal(typeof first.data.events.accepted, "number");
    assert.equal(typeof first.data.deliveries.succeeded, "number");
    assert.equal(typeof first.data.queue.depth, "number");
    assert.equal(first.data.series.points.length, 90);
    await waitFor(
      () => client.messages.filter((m) => m.event === "stats").length >= 3,
      3_000,
      "3 stats",
    );
    const truth = await herald.api("GET", "/v1/stats/overview");
    const last = client.messages.filter((m) => m.event === "stats").at(-1)!;
    assert.equal(last.data.events.accepted, truth.body.events.accepted);
    closeAll();
  });

  test("a client reconnecting with Last-Event-ID gets what it missed; an unknown id is told to refetch", async () => {
    const keeper = await ready(); // keeps the poller running meanwhile
    const b = await ready();
    const lastId = b.messages.filter((m) => m.id).at(-1)!.id!;
    b.close();
    await waitFor(() => feed().subscriberCount === 1, 2_000, "b to be gone");
    const res = await herald.api("POST", "/v1/events", {
      id: "evt-missed",
      type: "t",
      payload: {},
    });
    assert.equal(res.status, 202);
    await keeper.next((m) => m.event === "event" && m.data.id === "evt-missed", 2_000);

    const again = await ready({ authorization: `Bearer ${API_KEY}`, "last-event-id": lastId });
    const hello = again.messages[0]!;
    assert.equal(hello.event, "ready");
    assert.equal(hello.data.resumed, true);
    const missed = await again.next(
      (m) => m.event === "event" && m.data.id === "evt-missed",
      1_000,
    );
    const original = keeper.messages.find(
      (m) => m.event === "event" && m.data.id === "evt-missed",
    )!;
    assert.equal(missed.id, original.id);

    for (const unknown of ["00000000-1", "garbage"]) {
      const c = await ready({ authorization: `Bearer ${API_KEY}`, "last-event-id": unknown });
      assert.equal(c.messages[0]!.data.resumed, false);
    }
    closeAll();
  });

  test("a change whose transaction commits after a later one's is still sent", async () => {
    const client = await ready();
    const [target] = await db.sql<
      { id: string }[]
    >`select id from all_deliveries order by id limit 1`;
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let written!: () => void;
    const wrote = new Promise<void>((r) => {
      written = r;
    });
    // Takes its event seq and its updated_at (= its start) now, commits later.
    const slow = db.sql.begin(async (tx) => {
      await tx`insert into events (id, type, payload, payload_sha256) values ('evt-slow', 't', '{}', 'x')`;
      // Queued or finished by now: the change is made wherever it is.
      for (const table of ["deliveries", "delivery_history"]) {
        await tx`update ${tx(table)} set last_error = 'held back', updated_at = now() where id = ${target!.id}`;
      }
      written();
      await held;
    });
    await wrote;
    const fast = await herald.api("POST", "/v1/events", { id: "evt-fast", type: "t", payload: {} });
    assert.equal(fast.status, 202);
    await client.next((m) => m.event === "event" && m.data.id === "evt-fast", 2_000, "evt-fast");
    await new Promise((r) => setTimeout(r, POLL_MS * 2)); // a few polls past the later change
    release();
    await slow;
    await client.next((m) => m.event === "event" && m.data.id === "evt-slow", 2_000, "evt-slow");
    await client.next(
      (m) =>
        m.event === "delivery" && m.data.id === target!.id && m.data.last_error === "held back",
      2_000,
      "the held-back delivery change",
    );
    // Each exactly once.
    assert.equal(
      client.messages.filter((m) => m.event === "event" && m.data.id === "evt-fast").length,
      1,
    );
    closeAll();
  });

  test("more changes in one poll than a message batch allows become one `lag`, not a flood", async () => {
    const client = await ready();
    // 300 events committed at once, between two polls.
    await db.sql`
      insert into events (id, tenant, type, payload, payload_sha256)
      select 'bulk-' || g, null, 'bulk', '{}', 'x' from generate_series(1, 300) g`;
    const lag = await client.next((m) => m.event === "lag", 3_000, "lag");
    assert.deepEqual(lag.data.kinds, ["event"]);
    assert.equal(
      client.messages.filter((m) => m.event === "event" && m.data.type === "bulk").length,
      0,
    );
    // Afterwards it carries on from there.
    await herald.api("POST", "/v1/events", { id: "evt-after-lag", type: "t", payload: {} });
    await client.next((m) => m.event === "event" && m.data.id === "evt-after-lag", 2_000);
    closeAll();
  });

  test("disconnected clients are removed, and with none left the poller stops polling", async () => {
    const some = await Promise.all([ready(), ready(), ready()]);
    assert.equal(feed().subscriberCount, 3);
    assert.equal(feed().running, true);
    // One poller for all three: polls follow the interval, not the number of clients.
    const from = feed().polls;
    await new Promise((r) => setTimeout(r, POLL_MS * 5));
    const polled = feed().polls - from;
    assert.ok(polled >= 3 && polled <= 6, `${polled} polls in 5 intervals with 3 clients`);
    some[0]!.close();
    await waitFor(() => feed().subscriberCount === 2, 2_000, "one client gone");
    closeAll();
    await waitFor(() => feed().subscriberCount === 0 && !feed().running, 2_000, "all gone");
    const polls = feed().polls;
    await herald.api("POST", "/v1/events", { type: "t", payload: {} });
    await new Promise((r) => setTimeout(r, POLL_MS * 4));
    assert.equal(feed().polls, polls, "no poll without a client");
  });
});

describe("live stream and shutdown", () => {
  let db: MigratedDatabase;
  before(async () => {
    db = await migratedDatabase();
  });
  after(() => db.drop());

  test("app.close() ends open streams at once, and the access token never reaches the log", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const config = testConfig(db.url, { role: "api", logLevel: "trace", streamPollMs: 100 });
    const herald = await startHerald(config, pino({ level: "trace" }, sink));
    const url = `${herald.url}/v1/stream`;
    const made = await callApi(herald.url as string, "POST", "/v1/stream-tokens");
    const token = made.body.token as string;
    const clients = [
      await openStream(`${url}?access_token=${token}`),
      await openStream(url, { authorization: `Bearer ${API_KEY}` }),
    ];
    for (const c of clients) await c.next((m) => m.event === "ready");
    // A refused token and a bad query on the way: neither may be logged either.
    const wrong = await openStream(`${url}?access_token=secret-wrong-token-42`);
    assert.equal(wrong.status, 401);
    const bad = await openStream(`${url}?access_token=${token}&nope=1`);
    assert.equal(bad.status, 400);

    const started = Date.now();
    await herald.stop();
    assert.ok(Date.now() - started < 5_000, `stop took ${Date.now() - started} ms`);
    await Promise.all(clients.map((c) => c.ended));
    assert.equal(herald.app!.changeFeed.subscriberCount, 0);
    const log = lines.join("");
    assert.ok(lines.length > 0, "something was logged");
    assert.ok(!log.includes(API_KEY), "the key is not in the log");
    assert.ok(!log.includes(token.slice(4, 40)), "the stream token is not in the log");
    assert.ok(!log.includes("secret-wrong-token-42"), "a wrong token is not in the log");
  });
});
