// `herald keys create|list|revoke` against a running Herald, as a user runs them.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { API_KEY, heraldForSuite } from "../helpers.ts";
import { runHerald } from "../support/cli.ts";

const herald = runHerald;

describe("herald keys", () => {
  const { herald: running } = heraldForSuite({ role: "api" });

  test("create prints the key once; list shows it without; revoke makes it fail", async () => {
    const env = { HERALD_URL: running.url as string, HERALD_API_KEY: API_KEY };
    const made = await herald(
      ["keys", "create", "--name", "cli", "--scope", "tenant", "--tenant", "acme"],
      env,
    );
    assert.equal(made.code, 0, made.stderr);
    const key = made.stdout.match(/\bhk_[A-Za-z0-9_-]{32}\b/)?.[0] as string;
    assert.ok(key, made.stdout);
    const record = JSON.parse(made.stdout.split("\n")[0] as string);
    assert.equal(record.tenant, "acme");
    assert.equal(record.key, undefined);

    const list = await herald(["keys", "list"], env);
    assert.equal(list.code, 0, list.stderr);
    assert.ok(list.stdout.includes(record.id));
    assert.ok(!list.stdout.includes(key));

    const auth = { authorization: `Bearer ${key}` };
    assert.equal((await running.api("GET", "/v1/events", undefined, auth)).status, 200);
    const revoked = await herald(["keys", "revoke", record.id], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal((await running.api("GET", "/v1/events", undefined, auth)).status, 401);
  });

  test("mistakes exit non-zero and say why", async () => {
    const env = { HERALD_URL: running.url as string, HERALD_API_KEY: API_KEY };
    const noScope = await herald(["keys", "create", "--name", "x"], env);
    assert.equal(noScope.code, 2);
    assert.match(noScope.stderr, /--scope/);
    const bad = await herald(["keys", "create", "--name", "x", "--scope", "tenant"], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /400 invalid_request: scope tenant needs a tenant/);
    const noKey = await herald(["keys", "list"], { HERALD_URL: running.url as string });
    assert.equal(noKey.code, 2);
    const wrong = await herald(["keys", "list"], { ...env, HERALD_API_KEY: "wrong" });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /401 unauthorized/);
    const unknown = await herald(["keys", "revoke", "key_nope"], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /404 api_key_not_found/);
  });
});
