// The SSRF guard: with private networks disallowed, Herald must never call loopback, private or
// link-local addresses, whether the endpoint URL names an IP literal or a host name that
// resolves to one. Only loopback addresses are used here; the unit cases call a pure function.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isPublicAddress } from "../../src/delivery/ssrf.ts";
import { startMockReceiver } from "../../src/mock-receiver/server.ts";
import { heraldForSuite, type TestHerald, waitFor } from "../helpers.ts";

describe("isPublicAddress", () => {
  const notPublic = [
    "127.0.0.1",
    "127.8.9.10",
    "::1",
    "10.0.0.1",
    "10.255.255.254",
    "172.16.0.1",
    "172.31.255.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "::ffff:127.0.0.1",
    "::ffff:10.1.2.3",
    // IPv4-compatible (::/96): ::127.0.0.1 and ::10.0.0.1 in the deprecated form.
    "::7f00:1",
    "::127.0.0.1",
    "::a00:1",
    "64:ff9b::a00:1",
    "2002:7f00:1::1",
    "2001:db8::1",
    "100::1",
    "0.0.0.0",
    "::",
    "not-an-ip",
  ];
  for (const address of notPublic) {
    test(`${address} is not public`, () => {
      assert.equal(isPublicAddress(address), false);
    });
  }

  for (const address of ["8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"]) {
    test(`${address} is public`, () => {
      assert.equal(isPublicAddress(address), true);
    });
  }
});

interface Delivered {
  status: string;
  attempts: {
    number: number;
    error_kind: string | null;
    status_code: number | null;
    error_message: string | null;
  }[];
}

/** Sends one event to a new endpoint at `url` and waits for its delivery to finish. */
async function deliverTo(herald: TestHerald, url: string, tenant: string): Promise<Delivered> {
  const ep = await herald.api("POST", "/v1/endpoints", { url, tenant });
  assert.equal(ep.status, 201, JSON.stringify(ep.body));
  return deliverStored(herald, ep.body.id, tenant);
}

/** Sends one event to endpoint `id` and waits for its delivery to finish. */
async function deliverStored(herald: TestHerald, id: string, tenant: string): Promise<Delivered> {
  const ev = await herald.api("POST", "/v1/events", {
    type: "ssrf.probe",
    tenant,
    payload: {},
    endpoint_ids: [id],
  });
  assert.equal(ev.status, 202, JSON.stringify(ev.body));
  const event = await herald.api("GET", `/v1/events/${ev.body.id}?tenant=${tenant}`);
  assert.equal(event.body.deliveries.length, 1);
  const deliveryId = event.body.deliveries[0].id as string;
  let done: Delivered | undefined;
  await waitFor(
    async () => {
      const d = await herald.api("GET", `/v1/deliveries/${deliveryId}`);
      if (["succeeded", "failed"].includes(d.body.status)) done = d.body;
      return done;
    },
    15_000,
    `delivery to ${id} to finish`,
  );
  return done as Delivered;
}

/** The port of a receiver's loopback URL, to address it by other names. */
const portOf = (receiver: { url: string }) => new URL(receiver.url).port;

describe("delivery with private networks blocked", () => {
  const { db, herald, receiver } = heraldForSuite({ allowPrivateNetworks: false }, () =>
    startMockReceiver({ port: 0 }),
  );

  test("an endpoint URL to a non-public address is refused when saved, without saying what a name resolves to", async () => {
    const port = portOf(receiver);
    const ok = await herald.api("POST", "/v1/endpoints", { url: "https://8.8.8.8/hook" });
    assert.equal(ok.status, 201);
    const before = await db.sql`select count(*)::int as n from endpoints`;
    for (const host of [
      "127.0.0.1",
      "localhost",
      "[::1]",
      "[::7f00:1]",
      "[::ffff:127.0.0.1]",
      "10.1.2.3",
      "169.254.169.254",
    ]) {
      const url = `http://${host}:${port}/hook`;
      const res = await herald.api("POST", "/v1/endpoints", { url });
      assert.equal(res.status, 400, url);
      assert.equal(res.body.error.code, "invalid_request");
      assert.match(res.body.error.message, /not a public address/);
      if (host === "localhost") assert.doesNotMatch(res.body.error.message, /127\.0\.0\.1|::1/);
      const patch = await herald.api("PATCH", `/v1/endpoints/${ok.body.id}`, { url });
      assert.equal(patch.status, 400, url);
    }
    const after = await db.sql`select count(*)::int as n from endpoints`;
    assert.equal(after[0]?.n, before[0]?.n);
    assert.equal(
      (await herald.api("GET", `/v1/endpoints/${ok.body.id}`)).body.url,
      "https://8.8.8.8/hook",
    );
  });

  for (const [name, host] of [
    ["an IP literal 127.0.0.1", "127.0.0.1"],
    ["the name localhost (resolving to loopback)", "localhost"],
  ] as const) {
    test(`a delivery to ${name}, saved when it was allowed, fails as ssrf_blocked and sends nothing`, async () => {
      // As if the name resolved publicly when saved and privately now (DNS rebinding).
      const url = `http://${host}:${portOf(receiver)}/hook`;
      const tenant = `t-${host}`;
      await db.sql`
        insert into endpoints (id, tenant, url, secret) values (${`ep_stored_${host}`}, ${tenant}, ${url}, 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')`;
      const d = await deliverStored(herald, `ep_stored_${host}`, tenant);
      assert.equal(d.status, "failed");
      assert.equal(d.attempts.length, 1);
      assert.equal(d.attempts[0]?.error_kind, "ssrf_blocked");
      assert.equal(d.attempts[0]?.status_code, null);
      assert.doesNotMatch(String(d.attempts[0]?.error_message), /resolves to (127|::)/);
      assert.equal(receiver.stats().requests, 0);
    });
  }
});

describe("delivery with private networks allowed (the test default)", () => {
  const { herald, receiver } = heraldForSuite({}, () => startMockReceiver({ port: 0 }));

  for (const host of ["127.0.0.1", "localhost"]) {
    test(`the same delivery to ${host} succeeds`, async () => {
      const before = receiver.stats().requests;
      const d = await deliverTo(herald, `http://${host}:${portOf(receiver)}/hook`, `ok-${host}`);
      assert.equal(d.status, "succeeded");
      assert.equal(d.attempts.length, 1);
      assert.equal(d.attempts[0]?.error_kind, null);
      assert.equal(receiver.stats().requests, before + 1);
    });
  }
});
