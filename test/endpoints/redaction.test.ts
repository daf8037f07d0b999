// Credentials an endpoint carries besides its secret: sensitive static header values (by name)
// and the user name and password in its URL. Shown once, in the answer that creates the
// endpoint; redacted in every read after; a PATCH that sends back what it read keeps them; and
// they are sent: URL credentials as Basic auth.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { heraldForSuite } from "../helpers.ts";
import { receiverEndpoints } from "../support/deliver.ts";
import { startReceiver } from "../support/receiver.ts";

describe("redacted credentials", () => {
  const { herald, receiver } = heraldForSuite({ retryBaseMs: 20, pollIntervalMs: 50 }, () =>
    startReceiver(),
  );
  const { deliver } = receiverEndpoints(herald, receiver);
  const withCredentials = (path: string) =>
    receiver.url.replace("http://", "http://shop:p%40ss@") + path;

  test("shown at creation, redacted in every read after, and still sent", async () => {
    const url = withCredentials("/redacted");
    const headers = { Authorization: "Bearer tok-123", "X-Api-Key": "key-456", "X-Merchant": "42" };
    const made = await herald.api("POST", "/v1/endpoints", { url, headers });
    assert.equal(made.status, 201);
    assert.equal(made.body.url, url);
    assert.deepEqual(made.body.headers, headers);

    const redacted = {
      url: `${receiver.url.replace("http://", "http://redacted:redacted@")}/redacted`,
      headers: { Authorization: "redacted", "X-Api-Key": "redacted", "X-Merchant": "42" },
    };
    const one = await herald.api("GET", `/v1/endpoints/${made.body.id}`);
    assert.equal(one.body.url, redacted.url);
    assert.deepEqual(one.body.headers, redacted.headers);
    const list = await herald.api("GET", "/v1/endpoints");
    const text = JSON.stringify(list.body);
    for (const secret of ["tok-123", "key-456", "p%40ss", "p@ss", "shop:"]) {
      assert.ok(!text.includes(secret), `${secret} in the list`);
    }
    const audit = await herald.api("GET", `/v1/audit?subject=${made.body.id}`);
    assert.ok(!JSON.stringify(audit.body).includes("tok-123"));

    // The endpoint's own Authorization wins over the URL's credentials.
    const req = await deliver(made.body.id, "/redacted", { a: 1 });
    assert.equal(req.headers.authorization, "Bearer tok-123");
    assert.equal(req.headers["x-api-key"], "key-456");

    // Sending back what was read changes nothing stored.
    const patched = await herald.api("PATCH", `/v1/endpoints/${made.body.id}`, {
      url: one.body.url,
      headers: one.body.headers,
      description: "round trip",
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(patched.body.headers, redacted.headers);
    const again = await deliver(made.body.id, "/redacted", { a: 2 });
    assert.equal(again.headers.authorization, "Bearer tok-123");
    assert.equal(again.headers["x-api-key"], "key-456");
  });

  test("URL credentials are sent as Basic auth, not in the request line", async () => {
    const made = await herald.api("POST", "/v1/endpoints", { url: withCredentials("/basic") });
    const req = await deliver(made.body.id, "/basic", { b: 1 });
    assert.equal(req.path, "/basic");
    assert.equal(req.headers.authorization, `Basic ${Buffer.from("shop:p@ss").toString("base64")}`);
  });
});
