// `herald events …` and `herald endpoints …` against a running Herald, as a user runs them:
// people's output and --json, errors as one line and a non-zero exit, the variable named when
// the key is missing.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { API_KEY, heraldForSuite } from "../helpers.ts";
import { runHerald } from "../support/cli.ts";

const herald = runHerald;

describe("herald events and endpoints", () => {
  const { herald: running } = heraldForSuite({ role: "api" });
  const env = () => ({ HERALD_URL: running.url as string, HERALD_API_KEY: API_KEY });

  test("an endpoint made, shown, tested, disabled, enabled, rotated and deleted from the terminal", async () => {
    const made = await herald(
      [
        "endpoints",
        "create",
        "--url",
        "http://127.0.0.1:9/cli",
        "--tenant",
        "m1",
        "--types",
        "a.*,b",
        "--json",
      ],
      env(),
    );
    assert.equal(made.code, 0, made.stderr);
    const ep = JSON.parse(made.stdout);
    assert.deepEqual(ep.event_types, ["a.*", "b"]);
    assert.match(ep.secret, /^whsec_/);
    const id = ep.id as string;

    const list = await herald(["endpoints", "list", "--tenant", "m1"], env());
    assert.equal(list.code, 0, list.stderr);
    assert.equal(list.stdout, `${id}  http://127.0.0.1:9/cli  m1  true\n`);
    const got = await herald(["endpoints", "get", id], env());
    assert.match(got.stdout, new RegExp(`^id: ${id}$`, "m"));
    assert.ok(!got.stdout.includes(ep.secret), "the secret is not shown again");

    const tested = await herald(["endpoints", "test", id, "--json"], env());
    assert.equal(tested.code, 0, tested.stderr);
    // Nothing listens on port 9: the ping is made and its failure reported, not an error.
    const ping = JSON.parse(tested.stdout);
    assert.match(ping.event_id, /^evt_/);
    assert.notEqual(ping.status, "ok");
    const off = await herald(
      ["endpoints", "disable", id, "--reason", "maintenance", "--json"],
      env(),
    );
    assert.equal(JSON.parse(off.stdout).enabled, false);
    const on = await herald(["endpoints", "enable", id, "--json"], env());
    assert.equal(JSON.parse(on.stdout).enabled, true);
    const rotated = await herald(["endpoints", "rotate", id, "--json"], env());
    assert.match(JSON.parse(rotated.stdout).secret, /^whsec_/);
    const gone = await herald(["endpoints", "delete", id], env());
    assert.equal(gone.stdout, `deleted ${id}\n`);
    const again = await herald(["endpoints", "get", id], env());
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^herald: 404 endpoint_not_found: /);
    assert.equal(again.stderr.trim().split("\n").length, 1);
  });

  test("an event sent, read and listed; bad input is one line and exit 2", async () => {
    const sent = await herald(
      [
        "events",
        "send",
        "--type",
        "order.created",
        "--payload",
        '{"n":1}',
        "--id",
        "evt_cli_1",
        "--json",
      ],
      env(),
    );
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(JSON.parse(sent.stdout).id, "evt_cli_1");
    const got = await herald(["events", "get", "evt_cli_1", "--json"], env());
    assert.deepEqual(JSON.parse(got.stdout).payload, { n: 1 });
    const list = await herald(["events", "list", "--type", "order.created"], env());
    assert.match(list.stdout, /^evt_cli_1 {2}order\.created {2}- {2}\S+\n$/);

    const badJson = await herald(["events", "send", "--type", "t", "--payload", "{nope"], env());
    assert.equal(badJson.code, 2);
    assert.equal(badJson.stderr, "herald: --payload must be JSON\n");
    const noKey = await herald(["events", "list"], { HERALD_URL: running.url as string });
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /HERALD_API_KEY/);
    const unreachable = await herald(["events", "list"], {
      HERALD_URL: "http://127.0.0.1:9",
      HERALD_API_KEY: API_KEY,
    });
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /^herald: cannot reach Herald at http:\/\/127\.0\.0\.1:9/);
    const help = await herald(["endpoints", "--help"], {});
    assert.equal(help.code, 0);
    assert.match(help.stdout, /herald endpoints create --url URL/);
  });

  test("deliveries listed, read and retried; an event replayed; an endpoint's failures recovered", async () => {
    const ep = (
      await running.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/ops", tenant: "ops" })
    ).body.id;
    const ev = await running.api("POST", "/v1/events", {
      id: "evt_ops",
      type: "t",
      tenant: "ops",
      payload: {},
    });
    assert.equal(ev.status, 202);
    const list = await herald(["deliveries", "list", "--endpoint", ep, "--json"], env());
    assert.equal(list.code, 0, list.stderr);
    const [delivery] = list.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.equal(delivery.event_id, "evt_ops");
    const got = await herald(["deliveries", "get", delivery.id], env());
    assert.match(got.stdout, new RegExp(`^id: ${delivery.id}$`, "m"));
    // Still pending (no worker here): a retry is refused, said in one line.
    const retry = await herald(["deliveries", "retry", delivery.id], env());
    assert.equal(retry.code, 1);
    assert.match(retry.stderr, /^herald: 409 delivery_not_terminal: /);
    const replay = await herald(
      ["replay", "evt_ops", "--tenant", "ops", "--endpoint", ep, "--json"],
      env(),
    );
    assert.equal(replay.code, 0, replay.stderr);
    assert.equal(JSON.parse(replay.stdout).event_id, "evt_ops");
    const recover = await herald(
      ["recover", ep, "--since", "2026-01-01T00:00:00Z", "--json"],
      env(),
    );
    assert.equal(recover.code, 0, recover.stderr);
    assert.equal(JSON.parse(recover.stdout).recovered, 0);
    const noSince = await herald(["recover", ep], env());
    assert.equal(noSince.code, 2);
    assert.match(noSince.stderr, /--since/);
  });

  test("a source made for seed 001's signatures, listed, changed, shown and deleted", async () => {
    const ep = (await running.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/src" })).body
      .id;
    const made = await herald(
      [
        "sources",
        "create",
        "--name",
        "seed-001",
        "--provider",
        "hmac",
        "--secret",
        "a-shared-secret",
        "--endpoints",
        ep,
        "--option",
        "header=X-HMAC-Signature",
        "--option",
        "encoding=hex",
        "--json",
      ],
      env(),
    );
    assert.equal(made.code, 0, made.stderr);
    const source = JSON.parse(made.stdout);
    assert.equal(source.provider, "hmac");
    assert.deepEqual(source.endpoint_ids, [ep]);
    assert.equal(source.options.header, "X-HMAC-Signature");
    assert.match(source.ingest_url, new RegExp(`/in/${source.id}$`));
    const list = await herald(["sources", "list"], env());
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`^${source.id}  seed-001  hmac  `, "m"));
    // --option gives the options as a whole, as PATCH does.
    const renamed = await herald(
      [
        ...["sources", "update", source.id, "--name", "renamed"],
        ...["--option", "header=X-HMAC-Signature", "--option", "id_field=event_id", "--json"],
      ],
      env(),
    );
    assert.equal(renamed.code, 0, renamed.stderr);
    assert.equal(JSON.parse(renamed.stdout).name, "renamed");
    assert.equal(JSON.parse(renamed.stdout).options.id_field, "event_id");
    const got = await herald(["sources", "get", source.id], env());
    assert.match(got.stdout, /^name: renamed$/m);
    assert.ok(!got.stdout.includes("a-shared-secret"), "the secret is not shown again");
    // Rotation: a new secret generated, or the one given; the old one accepted for the grace.
    const rotated = await herald(["sources", "rotate", source.id, "--json"], env());
    assert.equal(rotated.code, 0, rotated.stderr);
    const generated = JSON.parse(rotated.stdout);
    assert.ok(generated.secret && generated.secret !== "a-shared-secret");
    assert.ok(Date.parse(generated.previous_secret_expires_at) > Date.now());
    const given = await herald(
      ["sources", "rotate", source.id, "--secret", "second-secret", "--json"],
      env(),
    );
    assert.equal(given.code, 0, given.stderr);
    assert.equal(JSON.parse(given.stdout).secret, "second-secret");
    const same = await herald(["sources", "rotate", source.id, "--secret", "second-secret"], env());
    assert.equal(same.code, 1);
    assert.match(same.stderr, /^herald: 400 .*current secret/);
    // Mistakes: one line, non-zero; the API's refusal named.
    const bad = await herald(["sources", "create", "--name", "x", "--provider", "nope"], env());
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^herald: 400 /);
    const option = await herald(["sources", "update", source.id, "--option", "noequals"], env());
    assert.equal(option.code, 2);
    assert.match(option.stderr, /--option must be NAME=VALUE/);
    const nothing = await herald(["sources", "update", source.id], env());
    assert.equal(nothing.code, 2);
    const gone = await herald(["sources", "delete", source.id], env());
    assert.equal(gone.stdout, `deleted ${source.id}\n`);
    assert.equal((await herald(["sources", "get", source.id], env())).code, 1);
    const help = await herald(["sources", "--help"], {});
    assert.equal(help.code, 0);
    assert.match(help.stdout, /herald sources create --name N --provider/);
  });
});
