// Secrets at rest: endpoint and source secrets are stored AES-256-GCM-sealed, never in clear;
// deliveries are still signed with the secret the API showed; secrets written before are sealed
// at the next start; a key can be rotated; a key Herald lacks stops the start; without a
// configured key one is generated into the data directory, mode 0600.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import pino from "pino";
import { Webhook } from "standardwebhooks";
import { startHerald } from "../../src/herald.ts";
import { keyId, SecretBox, UnknownKeyError } from "../../src/secrets/box.ts";
import { KEY_FILE } from "../../src/secrets/keyring.ts";
import { generateSecret } from "../../src/signing/standard-webhooks.ts";
import { heraldForSuite, startTestHerald, TEST_ENCRYPTION_KEY, testConfig } from "../helpers.ts";
import { headersOf, receiverEndpoints } from "../support/deliver.ts";
import { startReceiver } from "../support/receiver.ts";

const log = pino({ level: "silent" });

describe("SecretBox", () => {
  test("seals with a fresh IV each time, opens what it sealed, refuses a changed byte", () => {
    const box = new SecretBox(randomBytes(32));
    const a = box.seal("whsec_abc");
    const b = box.seal("whsec_abc");
    assert.notEqual(a, b);
    assert.match(a, new RegExp(`^enc:v1:${box.keyId}:`));
    assert.equal(box.open(a), "whsec_abc");
    const raw = Buffer.from(a.slice(a.lastIndexOf(":") + 1), "base64");
    raw[raw.length - 20] = (raw[raw.length - 20] as number) ^ 1;
    const tampered = `${a.slice(0, a.lastIndexOf(":") + 1)}${raw.toString("base64")}`;
    assert.throws(() => box.open(tampered), /authenticate/);
    assert.throws(() => new SecretBox(randomBytes(32)).open(a), UnknownKeyError);
    // Written before encryption: used as it is.
    assert.equal(box.open("whsec_plain"), "whsec_plain");
  });
});

describe("secrets at rest", () => {
  const { db, herald, receiver } = heraldForSuite({ retryBaseMs: 20, pollIntervalMs: 50 }, () =>
    startReceiver(),
  );
  const { create: endpoint, deliver } = receiverEndpoints(herald, receiver);

  async function everyStoredText(): Promise<string> {
    const rows = await db.sql<{ t: string }[]>`
      select string_agg(t, ' ') as t from (
        select e::text as t from endpoints e union all select s::text from sources s
        union all select a::text from audit_log a union all select k::text from api_keys k) x`;
    return rows[0]?.t ?? "";
  }

  test("no secret is stored in clear; deliveries are signed with the secret shown", async () => {
    const given = generateSecret();
    const ep = await endpoint("/given", { secret: given });
    const generated = await endpoint("/generated");
    const rotated = await herald.api("POST", `/v1/endpoints/${generated.id}/rotate-secret`);
    const src = await herald.api("POST", "/v1/sources", {
      name: "gh",
      provider: "github",
      secret: "a-github-secret-of-some-length",
    });
    assert.equal(src.status, 201);
    const srcRotated = await herald.api("POST", `/v1/sources/${src.body.id}/rotate-secret`);
    assert.equal(srcRotated.status, 200);
    const text = await everyStoredText();
    for (const secret of [
      given,
      generated.secret,
      rotated.body.secret,
      src.body.secret,
      srcRotated.body.secret,
    ]) {
      assert.ok(!text.includes(secret), "a secret is stored in clear");
      assert.ok(!text.includes(secret.replace(/^whsec_/, "")), "a secret's key is stored in clear");
    }
    const stored = await db.sql<{ secret: string; previous_secret: string | null }[]>`
      select secret, previous_secret from endpoints where id in (${ep.id}, ${generated.id})`;
    for (const r of stored) {
      assert.match(r.secret, /^enc:v1:[0-9a-f]{8}:/);
      if (r.previous_secret !== null) assert.match(r.previous_secret, /^enc:v1:/);
    }

    const req = await deliver(ep.id, "/given", { a: 1 });
    assert.deepEqual(new Webhook(given).verify(req.body, headersOf(req)), { a: 1 });
    const both = await deliver(generated.id, "/generated", { b: 2 });
    // During the rotation both secrets sign.
    assert.deepEqual(new Webhook(rotated.body.secret).verify(both.body, headersOf(both)), { b: 2 });
    assert.deepEqual(new Webhook(generated.secret).verify(both.body, headersOf(both)), { b: 2 });
    // Rotating to the current secret is still refused (compared in clear).
    const same = await herald.api("POST", `/v1/endpoints/${ep.id}/rotate-secret`, {
      secret: given,
    });
    assert.equal(same.status, 400);
  });

  test("secrets written in clear before are sealed at the next start and still sign", async () => {
    const plain = generateSecret();
    const ep = await endpoint("/legacy");
    await db.sql`update endpoints set secret = ${plain} where id = ${ep.id}`;
    await db.sql`
      insert into sources (id, name, provider, secret) values ('src_legacy', 'l', 'github', 'legacy-plain-secret')`;
    const second = await startTestHerald(db.url, { role: "api" });
    await second.stop();
    const [row] = await db.sql<
      { secret: string }[]
    >`select secret from endpoints where id = ${ep.id}`;
    assert.match(row?.secret as string, /^enc:v1:/);
    const [src] = await db.sql<
      { secret: string }[]
    >`select secret from sources where id = 'src_legacy'`;
    assert.match(src?.secret as string, /^enc:v1:/);
    const req = await deliver(ep.id, "/legacy", { c: 3 });
    assert.deepEqual(new Webhook(plain).verify(req.body, headersOf(req)), { c: 3 });
  });

  test("rotating the key: the new key seals everything at start; without the old one, a start stops", async () => {
    const next = randomBytes(32).toString("hex");
    const rotated = await startTestHerald(db.url, {
      role: "api",
      encryptionKey: next,
      decryptionKeys: [TEST_ENCRYPTION_KEY],
    });
    await rotated.stop();
    const prefixes = await db.sql<{ p: string }[]>`
      select distinct substr(secret, 1, 16) as p from endpoints
      union select substr(previous_secret, 1, 16) from endpoints where previous_secret is not null
      union select substr(secret, 1, 16) from sources where secret is not null
      union select substr(previous_secret, 1, 16) from sources where previous_secret is not null`;
    const [kept] =
      await db.sql`select count(*)::int as n from sources where previous_secret is not null`;
    assert.ok((kept?.n as number) > 0, "a rotated source's previous secret is re-sealed too");
    assert.deepEqual(
      prefixes.map((r) => r.p),
      [`enc:v1:${keyId(Buffer.from(next, "hex"))}:`],
    );
    // A Herald with only the old key refuses to start rather than sign with what it cannot read.
    await assert.rejects(
      startHerald(testConfig(db.url, { role: "worker" }), log),
      (err: Error) => err instanceof UnknownKeyError && /HERALD_DECRYPTION_KEYS/.test(err.message),
    );
    // And back: the suite's Herald keeps working once the test key seals again.
    const back = await startTestHerald(db.url, { role: "api", decryptionKeys: [next] });
    await back.stop();
  });
});

describe("generated encryption key", () => {
  const { db } = heraldForSuite({ role: "worker" });

  test("without HERALD_ENCRYPTION_KEY a key is made into the data directory, mode 0600, and kept", async () => {
    const dir = await mkdtemp(join(tmpdir(), "herald-key-"));
    try {
      const config = testConfig(db.url, { role: "worker", encryptionKey: undefined, dataDir: dir });
      const first = await startHerald(config, log);
      await first.stop();
      const path = join(dir, KEY_FILE);
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      const key = await readFile(path, "utf8");
      await chmod(path, 0o644);
      const second = await startHerald(config, log);
      await second.stop();
      assert.equal(await readFile(path, "utf8"), key, "the key is kept");
      assert.equal((await stat(path)).mode & 0o777, 0o600, "and made private again");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
