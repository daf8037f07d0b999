// Rotating a source's secret: after POST …/rotate-secret the provider may sign with either
// secret until the grace ends, then only the new one is accepted; PATCH replaces a secret at
// once (for one that leaked). Providers whose secret Herald cannot choose are refused clearly.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import { sign } from "@octokit/webhooks-methods";
import { heraldForSuite } from "../helpers.ts";
import { startReceiver } from "../support/receiver.ts";
import { postInbound, setupSource } from "../support/sources.ts";

async function post(herald: any, sourceId: string, secret: string) {
  const body = JSON.stringify({ n: randomUUID() });
  return postInbound(herald, sourceId, body, {
    "content-type": "application/json",
    "x-github-event": "push",
    "x-github-delivery": randomUUID(),
    "x-hub-signature-256": await sign(secret, body),
  });
}

describe("source secret rotation", () => {
  const { db, herald, receiver } = heraldForSuite({ role: "api" }, startReceiver);

  test("both secrets are accepted during the grace, only the new one after it", async () => {
    const setup = await setupSource(
      herald,
      receiver,
      { provider: "github", secret: "first-secret" },
      ["push"],
    );
    const id = setup.sourceId;
    const rotated = await herald.api("POST", `/v1/sources/${id}/rotate-secret`);
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    const second = rotated.body.secret as string;
    assert.match(second, /^[0-9a-f]{64}$/);
    const until = Date.parse(rotated.body.previous_secret_expires_at);
    assert.ok(Math.abs(until - (Date.now() + 24 * 3_600_000)) < 60_000, "24 h by default");
    assert.equal((await post(herald, id, "first-secret")).status, 202, "the old one, in grace");
    assert.equal((await post(herald, id, second)).status, 202, "the new one");
    assert.equal((await post(herald, id, "another")).status, 401);

    // The secret is shown once: reads show only until when the old one is accepted.
    const read = await herald.api("GET", `/v1/sources/${id}`);
    assert.equal(read.body.previous_secret_expires_at, rotated.body.previous_secret_expires_at);
    assert.ok(!JSON.stringify(read.body).includes(second));
    const [stored] = await db.sql`select secret, previous_secret from sources where id = ${id}`;
    assert.ok(!JSON.stringify(stored).includes(second), "stored encrypted");
    assert.ok(!JSON.stringify(stored).includes("first-secret"), "stored encrypted");

    await db.sql`update sources set previous_secret_expires_at = now() - interval '1 second'
      where id = ${id}`;
    assert.equal((await post(herald, id, "first-secret")).status, 401, "grace over");
    assert.equal((await post(herald, id, second)).status, 202);
    assert.equal(
      (await herald.api("GET", `/v1/sources/${id}`)).body.previous_secret_expires_at,
      null,
    );

    const audit = await herald.api("GET", `/v1/audit?subject=${id}&action=source.secret_rotated`);
    assert.equal(audit.body.data.length, 1);
    assert.equal(audit.body.data[0].details.secret_generated, true);
  });

  test("a given secret is used; PATCH replaces at once and ends the grace", async () => {
    const { sourceId: id } = await setupSource(
      herald,
      receiver,
      { provider: "github", secret: "one-secret" },
      ["push"],
    );
    const rotated = await herald.api("POST", `/v1/sources/${id}/rotate-secret`, {
      secret: "two-secret",
    });
    assert.equal(rotated.status, 200);
    assert.equal(rotated.body.secret, "two-secret");
    assert.equal((await post(herald, id, "one-secret")).status, 202);
    const again = await herald.api("POST", `/v1/sources/${id}/rotate-secret`, {
      secret: "two-secret",
    });
    assert.equal(again.status, 400, "the current secret is not a new one");

    const patched = await herald.api("PATCH", `/v1/sources/${id}`, { secret: "three-secret" });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.previous_secret_expires_at, null);
    assert.equal((await post(herald, id, "two-secret")).status, 401, "replaced at once");
    assert.equal((await post(herald, id, "one-secret")).status, 401);
    assert.equal((await post(herald, id, "three-secret")).status, 202);
  });

  test("refusals: no secret for none, Stripe's own secrets, bad input, unknown ids", async () => {
    const none = await herald.api("POST", "/v1/sources", { name: "n", provider: "none" });
    const stripe = await herald.api("POST", "/v1/sources", { name: "s", provider: "stripe" });
    const sw = await herald.api("POST", "/v1/sources", {
      name: "w",
      provider: "standard-webhooks",
    });
    const cases: [string, unknown, number][] = [
      [`/v1/sources/${none.body.id}/rotate-secret`, undefined, 400],
      [`/v1/sources/${stripe.body.id}/rotate-secret`, undefined, 400],
      [`/v1/sources/${sw.body.id}/rotate-secret`, { secret: "not-whsec-at-all" }, 400],
      [`/v1/sources/${sw.body.id}/rotate-secret`, { secret: "short" }, 400],
      [`/v1/sources/${sw.body.id}/rotate-secret`, { other: 1 }, 400],
      [`/v1/sources/${sw.body.id}/rotate-secret`, { secret: 42 }, 400],
      ["/v1/sources/src_nope/rotate-secret", undefined, 404],
    ];
    for (const [path, body, status] of cases) {
      const res = await herald.api("POST", path, body);
      assert.equal(
        res.status,
        status,
        `${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`,
      );
      assert.equal(typeof res.body.error.code, "string");
    }
    const [row] = await db.sql`select previous_secret from sources where id = ${sw.body.id}`;
    assert.equal(row?.previous_secret, null, "a refused rotation changes nothing");
    const ok = await herald.api("POST", `/v1/sources/${stripe.body.id}/rotate-secret`, {
      secret: "whsec_from_stripe_dashboard",
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.previous_secret_expires_at, null, "nothing to keep: it had no secret");
    const made = await herald.api("POST", `/v1/sources/${sw.body.id}/rotate-secret`);
    assert.match(made.body.secret, /^whsec_/);
  });
});
