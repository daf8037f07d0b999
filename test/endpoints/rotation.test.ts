// Secret rotation: the new secret signs at once and, for the grace period, the previous one
// signs beside it (`webhook-signature: v1,<new> v1,<old>`), so the standardwebhooks verifier
// accepts a request with either secret; after the grace period only the new one signs.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { attemptRequest } from "../../src/delivery/request.ts";
import { sign } from "../../src/signing/standard-webhooks.ts";
import { heraldForSuite } from "../helpers.ts";
import { claimedRow, testBox } from "../support/claimed.ts";
import { headersOf, receiverEndpoints } from "../support/deliver.ts";
import { startReceiver } from "../support/receiver.ts";
import { snapshot } from "../support/snapshot.ts";

const newSecret = (bytes = 32) => `whsec_${randomBytes(bytes).toString("base64")}`;
const HOUR = 3_600_000;

describe("secret rotation", () => {
  const { db, herald, receiver } = heraldForSuite(
    { rotationGraceMs: 2 * HOUR, pollIntervalMs: 50 },
    () => startReceiver(),
  );

  const { create: endpoint, deliver } = receiverEndpoints(herald, receiver);

  test("rotate-secret answers the new secret and when the old one stops signing", async () => {
    const ep = await endpoint("/answer");
    const started = Date.now();
    const res = await herald.api("POST", `/v1/endpoints/${ep.id}/rotate-secret`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), ["id", "previous_secret_expires_at", "secret"]);
    assert.equal(res.body.id, ep.id);
    assert.match(res.body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.notEqual(res.body.secret, ep.secret);
    const expires = Date.parse(res.body.previous_secret_expires_at);
    assert.ok(expires >= started + 2 * HOUR && expires <= Date.now() + 2 * HOUR, `${expires}`);
    const [row] = await db.sql<{ secret: string; previous_secret: string; until: Date }[]>`
      select secret, previous_secret, previous_secret_expires_at as until
      from endpoints where id = ${ep.id}`;
    // Stored sealed (test/secrets): opened, they are the new and the old secret.
    assert.equal(herald.ctx.secrets.open(row?.secret as string), res.body.secret);
    assert.equal(herald.ctx.secrets.open(row?.previous_secret as string), ep.secret);
    assert.equal(row?.until.toISOString(), res.body.previous_secret_expires_at);
    const shown = (await herald.api("GET", `/v1/endpoints/${ep.id}`)).body;
    assert.equal(shown.previous_secret_expires_at, res.body.previous_secret_expires_at);
    assert.equal(shown.secret, undefined);
    assert.equal(shown.previous_secret, undefined);
  });

  test("during the grace period a request verifies with the new secret and with the old one", async () => {
    const ep = await endpoint("/grace");
    const rotated = await herald.api("POST", `/v1/endpoints/${ep.id}/rotate-secret`);
    const payload = { rotated: true };
    const req = await deliver(ep.id, "/grace", payload);
    const headers = headersOf(req);
    const sigs = String(headers["webhook-signature"]).split(" ");
    assert.equal(sigs.length, 2, headers["webhook-signature"]);
    const signed = (secret: string) =>
      sign(secret, headers["webhook-id"] as string, Number(headers["webhook-timestamp"]), req.body);
    assert.deepEqual(sigs, [signed(rotated.body.secret), signed(ep.secret)], "new first, then old");
    assert.deepEqual(new Webhook(rotated.body.secret).verify(req.body, headers), payload);
    assert.deepEqual(new Webhook(ep.secret).verify(req.body, headers), payload);
    assert.throws(() => new Webhook(newSecret()).verify(req.body, headers));
  });

  test("after the grace period only the new secret signs", async () => {
    const ep = await endpoint("/expired");
    const rotated = await herald.api("POST", `/v1/endpoints/${ep.id}/rotate-secret`);
    await db.sql`update endpoints set previous_secret_expires_at = now() - interval '1 second'
      where id = ${ep.id}`;
    const payload = { after: "grace" };
    const req = await deliver(ep.id, "/expired", payload);
    const headers = headersOf(req);
    assert.equal(String(headers["webhook-signature"]).split(" ").length, 1);
    assert.deepEqual(new Webhook(rotated.body.secret).verify(req.body, headers), payload);
    assert.throws(() => new Webhook(ep.secret).verify(req.body, headers));
    assert.equal(
      (await herald.api("GET", `/v1/endpoints/${ep.id}`)).body.previous_secret_expires_at,
      null,
    );
  });

  test("the previous secret signs while it expires after the attempt's timestamp, not at or before it", () => {
    const row = claimedRow({
      secret: newSecret(),
      previous_secret: newSecret(),
      previous_secret_expires_at: new Date(1_700_000_001_000),
    });
    const count = (ts: number) =>
      attemptRequest(row, ts, testBox).headers["webhook-signature"]?.split(" ").length;
    assert.equal(count(1_700_000_000), 2);
    assert.equal(count(1_700_000_001), 1);
    assert.equal(count(1_700_000_002), 1);
    assert.equal(
      attemptRequest({ ...row, previous_secret_expires_at: null }, 1, testBox).headers[
        "webhook-signature"
      ]?.split(" ").length,
      1,
    );
  });

  test("a given secret becomes the secret; rotating again drops the oldest", async () => {
    const ep = await endpoint("/given");
    const second = newSecret(24);
    const res = await herald.api("POST", `/v1/endpoints/${ep.id}/rotate-secret`, {
      secret: second,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.secret, second);
    const third = newSecret(64);
    await herald.api("POST", `/v1/endpoints/${ep.id}/rotate-secret`, { secret: third });
    const payload = { n: 3 };
    const headers = headersOf(await deliver(ep.id, "/given", payload));
    assert.deepEqual(
      new Webhook(third).verify(Buffer.from(JSON.stringify(payload)), headers),
      payload,
    );
    assert.deepEqual(new Webhook(second).verify(JSON.stringify(payload), headers), payload);
    assert.throws(() => new Webhook(ep.secret).verify(JSON.stringify(payload), headers));
  });

  test("a bad secret, the current secret or an unknown field is 400 and changes nothing", async () => {
    const ep = await endpoint("/bad");
    const before = await snapshot(db.sql, ["endpoints", "audit_log"]);
    const bad: unknown[] = [
      { secret: "whsec_short" },
      { secret: "not-a-secret" },
      { secret: newSecret().slice("whsec_".length) },
      { secret: newSecret(16) },
      { secret: newSecret(65) },
      { secret: "whsec_!!!!" },
      { secret: 42 },
      { secret: null },
      { secret: ep.secret },
      { secret: newSecret(), grace: "1h" },
      { previous_secret: newSecret() },
    ];
    for (const body of bad) {
      const res = await herald.api("POST", `/v1/endpoints/${ep.id}/rotate-secret`, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, "invalid_request");
    }
    assert.deepEqual(await snapshot(db.sql, ["endpoints", "audit_log"]), before);
  });
});
