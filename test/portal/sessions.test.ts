// Portal sessions over HTTP: an admin makes a link for a tenant; its token is exchanged once for
// an httpOnly cookie that acts as that tenant (read-only if asked), only with the portal's
// header; reused, expired, forged or malformed tokens and cookies are refused and change nothing.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { portalSigner } from "../../src/portal/sessions.ts";
import { heraldForSuite, type TestHerald } from "../helpers.ts";
import { snapshot } from "../support/snapshot.ts";

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const TABLES = ["portal_sessions", "audit_log", "endpoints"];

async function makeLink(herald: TestHerald, body: Record<string, unknown>) {
  const res = await herald.api("POST", "/v1/portal-sessions", body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const token = new URL(res.body.url).hash.replace(/^#token=/, "");
  return { ...res.body, token } as {
    id: string;
    url: string;
    token: string;
    expires_at: string;
    link_expires_at: string;
    read_only: boolean;
  };
}

/** POST /portal/session: the status, the Set-Cookie header and the cookie's value. */
async function exchange(herald: TestHerald, token: unknown) {
  const res = await fetch(`${herald.url}/portal/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token }),
  });
  const setCookie = res.headers.get("set-cookie") ?? "";
  const body = await res.json();
  return { status: res.status, body, setCookie, cookie: setCookie.split(";")[0] ?? "" };
}

function asPortal(cookie: string, header = true): Record<string, string> {
  return { cookie, ...(header ? { "x-herald-portal": "1" } : {}) };
}

describe("portal sessions", () => {
  const { db, herald } = heraldForSuite({ role: "api" });

  /** Calls the API with only the cookie (and the portal header): no key. */
  async function portalCall(
    cookie: string,
    method: string,
    path: string,
    body?: unknown,
    header = true,
  ) {
    const res = await fetch(`${herald.url}${path}`, {
      method,
      headers: {
        cookie,
        ...(header ? { "x-herald-portal": "1" } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  test("a link is made for a tenant, opened once, and its cookie acts as that tenant only", async () => {
    const other = await herald.api("POST", "/v1/endpoints", {
      url: "http://127.0.0.1:9/b",
      tenant: "t-b",
    });
    const own = await herald.api("POST", "/v1/endpoints", {
      url: "http://127.0.0.1:9/a",
      tenant: "t-a",
    });
    const link = await makeLink(herald, { tenant: "t-a" });
    assert.match(link.url, new RegExp(`^${herald.url}/portal/#token=hpl_[\\w-]{32}$`));
    const ttl = Date.parse(link.expires_at) - Date.now();
    assert.ok(ttl > 3_500_000 && ttl <= 3_600_000, `session ${ttl} ms`);
    assert.ok(Date.parse(link.link_expires_at) - Date.now() <= 600_000);
    const [stored] = await db.sql`select p::text as t from portal_sessions p where id = ${link.id}`;
    assert.ok(!String(stored?.t).includes(link.token), "only the token's hash is stored");

    const opened = await exchange(herald, link.token);
    assert.equal(opened.status, 200);
    const attributes = opened.setCookie.toLowerCase();
    assert.match(opened.cookie, /^herald_portal=hps_/);
    for (const a of ["httponly", "samesite=strict", "path=/", "expires="]) {
      assert.ok(attributes.includes(a), `${a} in ${opened.setCookie}`);
    }
    assert.ok(!attributes.includes("secure"), "not Secure on plain http");

    const again = await exchange(herald, link.token);
    assert.equal(again.status, 401);
    assert.equal(again.body.error.code, "portal_link_invalid");
    assert.equal(again.setCookie, "");

    const me = await portalCall(opened.cookie, "GET", "/v1/me");
    assert.equal(me.status, 200);
    assert.equal(me.body.tenant, "t-a");
    assert.equal(me.body.scope, "tenant");
    assert.equal(me.body.id, link.id);
    assert.deepEqual(Object.keys(me.body.portal).sort(), ["accent", "expires_at", "name"]);

    const list = await portalCall(opened.cookie, "GET", "/v1/endpoints");
    assert.deepEqual(
      list.body.data.map((e: { id: string }) => e.id),
      [own.body.id],
    );
    assert.equal(
      (await portalCall(opened.cookie, "GET", `/v1/endpoints/${other.body.id}`)).status,
      404,
    );
    const made = await portalCall(opened.cookie, "POST", "/v1/endpoints", {
      url: "http://127.0.0.1:9/p",
    });
    assert.equal(made.status, 201);
    assert.equal(made.body.tenant, "t-a");
    assert.match(made.body.secret, /^whsec_/);
    const [entry] = await db.sql`
      select actor, tenant from audit_log where subject = ${made.body.id} and action = 'endpoint.created'`;
    assert.deepEqual({ ...entry }, { actor: link.id, tenant: "t-a" });
    assert.equal((await portalCall(opened.cookie, "GET", "/v1/api-keys")).status, 403);
    assert.equal(
      (await portalCall(opened.cookie, "POST", "/v1/portal-sessions", { tenant: "t-a" })).status,
      403,
    );
    // Without the portal's header the cookie is nothing (a cross-site form cannot add it).
    assert.equal(
      (await portalCall(opened.cookie, "GET", "/v1/endpoints", undefined, false)).status,
      401,
    );
    assert.equal(
      (
        await portalCall(
          opened.cookie,
          "POST",
          "/v1/endpoints",
          { url: "http://127.0.0.1:9/x" },
          false,
        )
      ).status,
      401,
    );
  });

  test("a read-only session reads and cannot write", async () => {
    const link = await makeLink(herald, { tenant: "t-a", read_only: true, expires_in: 120 });
    assert.equal(link.read_only, true);
    const ttl = Date.parse(link.expires_at) - Date.now();
    assert.ok(ttl <= 120_000 && ttl > 100_000);
    const { cookie } = await exchange(herald, link.token);
    assert.equal((await portalCall(cookie, "GET", "/v1/events")).status, 200);
    const before = await snapshot(db.sql, TABLES);
    const write = await portalCall(cookie, "POST", "/v1/endpoints", {
      url: "http://127.0.0.1:9/r",
    });
    assert.equal(write.status, 403);
    assert.deepEqual(await snapshot(db.sql, TABLES), before);
  });

  test("expired links, expired or forged cookies and malformed tokens are refused", async () => {
    const late = await makeLink(herald, { tenant: "t-a" });
    await db.sql`update portal_sessions set link_expires_at = now() - interval '1 second' where id = ${late.id}`;
    assert.equal((await exchange(herald, late.token)).status, 401);
    const ended = await makeLink(herald, { tenant: "t-a" });
    await db.sql`update portal_sessions set expires_at = now() - interval '1 second' where id = ${ended.id}`;
    assert.equal((await exchange(herald, ended.token)).status, 401);
    for (const token of ["", "hpl_short", `hpl_${"a".repeat(32)}`, "x".repeat(100), 42, null]) {
      const res = await exchange(herald, token);
      assert.ok([400, 401].includes(res.status), `${JSON.stringify(token)}: ${res.status}`);
      assert.equal(res.setCookie, "");
    }

    const signer = portalSigner(herald.ctx);
    const expired = signer.sign({ s: "ps_x", t: "t-a", r: false, e: Date.now() - 1 });
    const valid = signer.sign({ s: "ps_x", t: "t-a", r: true, e: Date.now() + 60_000 });
    const [body, mac] = valid.slice(4).split(".") as [string, string];
    const widened = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(body, "base64url").toString()),
        t: "t-b",
        r: false,
      }),
    ).toString("base64url");
    for (const value of [expired, `hps_${widened}.${mac}`, "hps_garbage", `${valid}x`]) {
      const res = await portalCall(`herald_portal=${value}`, "GET", "/v1/endpoints");
      assert.equal(res.status, 401, value);
    }
    assert.equal((await portalCall(`herald_portal=${valid}`, "GET", "/v1/endpoints")).status, 200);
  });

  test("only an admin key makes links; bad bodies are 400 and store nothing", async () => {
    const keys: string[] = [];
    for (const [scope, tenant] of [
      ["tenant", "t-a"],
      ["admin:read", undefined],
    ] as const) {
      keys.push(
        (await herald.api("POST", "/v1/api-keys", { name: scope, scope, tenant })).body.key,
      );
    }
    const before = await snapshot(db.sql, TABLES);
    for (const k of keys) {
      const res = await herald.api("POST", "/v1/portal-sessions", { tenant: "t-a" }, bearer(k));
      assert.equal(res.status, 403);
    }
    for (const body of [
      {},
      { tenant: "" },
      { tenant: "t-a", expires_in: 59 },
      { tenant: "t-a", expires_in: 86_401 },
      { tenant: "t-a", expires_in: "3600" },
      { tenant: "t-a", read_only: "yes" },
      { tenant: "t-a", extra: 1 },
      { tenant: "bad\u0000tenant" },
    ]) {
      const res = await herald.api("POST", "/v1/portal-sessions", body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, "invalid_request");
    }
    assert.deepEqual(await snapshot(db.sql, TABLES), before);
  });

  test("the portal page is the app, framed by nobody unless the platform names who", async () => {
    const res = await fetch(`${herald.url}/portal/`, { headers: { accept: "text/html" } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    await res.arrayBuffer();
  });
});

describe("portal sessions behind https, framed by the platform", () => {
  const { herald } = heraldForSuite({
    role: "api",
    publicUrl: "https://webhooks.example.com",
    portalFrameAncestors: ["https://app.example.com"],
    portalName: "Acme Webhooks",
    portalAccent: "#ff6600",
  });

  test("links use the public URL; the cookie is Secure, SameSite=None and partitioned; the page may be framed by the platform", async () => {
    const link = await makeLink(herald, { tenant: "t-a" });
    assert.match(link.url, /^https:\/\/webhooks\.example\.com\/portal\/#token=hpl_/);
    const opened = await exchange(herald, link.token);
    assert.equal(opened.status, 200);
    const attributes = opened.setCookie.toLowerCase();
    for (const a of ["httponly", "secure", "samesite=none", "partitioned"]) {
      assert.ok(attributes.includes(a), `${a} in ${opened.setCookie}`);
    }
    const me = await fetch(`${herald.url}/v1/me`, { headers: asPortal(opened.cookie) });
    const body = await me.json();
    assert.equal(body.portal.name, "Acme Webhooks");
    assert.equal(body.portal.accent, "#ff6600");

    const page = await fetch(`${herald.url}/portal/`, { headers: { accept: "text/html" } });
    assert.match(
      page.headers.get("content-security-policy") ?? "",
      /frame-ancestors https:\/\/app\.example\.com(;|$)/,
    );
    assert.equal(page.headers.get("x-frame-options"), null);
    await page.arrayBuffer();
    // The operator's dashboard is still never framed.
    const dashboard = await fetch(`${herald.url}/`, { headers: { accept: "text/html" } });
    assert.match(dashboard.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
    await dashboard.arrayBuffer();
  });
});
