// The dashboard at `/`: the built single-page app from config.webDir (a temporary folder
// here, not the real build). Its files are served with cache headers fit for them, its own
// routes fall back to index.html when a browser asks for a page, the API's and the server's
// paths never do, nothing outside the folder is reachable, and without a build `/` says how to
// make one.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { request } from "undici";
import { API_KEY, heraldForSuite } from "../helpers.ts";

const INDEX =
  '<!doctype html><html><body><div id="root"></div><script src="/assets/app-3f9a1c.js"></script></body></html>';
const APP_JS = "console.log('herald dashboard');";
const OUTSIDE = "content-of-a-file-outside-the-build";
const DOTFILE = "content-of-a-dotfile";
const PAGE = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

describe("dashboard files", () => {
  const dir = mkdtempSync(join(tmpdir(), "herald-web-"));
  const { herald } = heraldForSuite({ role: "api", webDir: dir });

  before(async () => {
    await mkdir(join(dir, "assets"));
    await writeFile(join(dir, "index.html"), INDEX);
    await writeFile(join(dir, "assets", "app-3f9a1c.js"), APP_JS);
    await writeFile(join(dir, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    await writeFile(join(dir, ".env"), DOTFILE);
    await writeFile(`${dir}-outside.txt`, OUTSIDE);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(`${dir}-outside.txt`, { force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${herald.url}${path}`, { headers });

  test("/ is index.html, revalidated every time", async () => {
    for (const path of ["/", "/index.html"]) {
      const res = await get(path, PAGE);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
      assert.equal(res.headers.get("cache-control"), "no-cache");
      assert.equal(res.headers.get("x-frame-options"), "DENY");
      const csp = res.headers.get("content-security-policy") ?? "";
      for (const directive of [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ]) {
        assert.ok(csp.split("; ").includes(directive), `${directive} in ${csp}`);
      }
      assert.ok(!csp.includes("unsafe"), csp);
      assert.equal(res.headers.get("referrer-policy"), "no-referrer");
      assert.equal(await res.text(), INDEX);
    }
    const first = await get("/");
    await first.arrayBuffer();
    const etag = first.headers.get("etag");
    assert.ok(etag);
    // undici's request, not fetch: fetch adds cache-control: no-cache to conditional requests.
    const again = await request(`${herald.url}/`, { headers: { "if-none-match": etag } });
    assert.equal(again.statusCode, 304);
    await again.body.dump();
    const head = await fetch(`${herald.url}/`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), String(INDEX.length));
  });

  test("hashed assets are cached for a year, immutable; other files are revalidated", async () => {
    const js = await get("/assets/app-3f9a1c.js");
    assert.equal(js.status, 200);
    assert.match(js.headers.get("content-type") ?? "", /javascript/);
    assert.equal(js.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(js.headers.get("x-content-type-options"), "nosniff");
    assert.equal(await js.text(), APP_JS);

    const icon = await get("/favicon.svg");
    assert.equal(icon.status, 200);
    assert.match(icon.headers.get("content-type") ?? "", /^image\/svg\+xml/);
    assert.equal(icon.headers.get("cache-control"), "no-cache");
    await icon.arrayBuffer();
  });

  test("the app's own routes get index.html when a browser asks for a page", async () => {
    for (const path of [
      "/endpoints",
      "/failed",
      "/event/evt_123",
      "/overview?range=15m",
      "/inbox",
    ]) {
      const res = await get(path, PAGE);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get("cache-control"), "no-cache", path);
      assert.equal(await res.text(), INDEX, path);
    }
    // A script or fetch asking for a missing file gets the API's 404, not a page.
    for (const path of ["/endpoints", "/assets/app-gone.js"]) {
      const res = await get(path, { accept: "*/*" });
      assert.equal(res.status, 404, path);
      assert.equal((await res.json()).error.code, "not_found", path);
    }
  });

  test("the API's and the server's paths never fall back to the app", async () => {
    const unauth = await get("/v1/nothing", PAGE);
    assert.equal(unauth.status, 401);
    assert.equal((await unauth.json()).error.code, "unauthorized");
    const authed = await get("/v1/nothing", { ...PAGE, authorization: `Bearer ${API_KEY}` });
    assert.equal(authed.status, 404);
    assert.equal((await authed.json()).error.code, "not_found");
    for (const path of [
      "/v1",
      "/health/nothing",
      "/metrics",
      "/metrics/x",
      "/in/github",
      "/events",
      "/events/x",
    ]) {
      const res = await get(path, PAGE);
      // /v1, /metrics and the seed API's reads need a key; the others are no route.
      const keyed = ["/v1", "/metrics", "/events", "/events/x"].includes(path);
      assert.equal(res.status, keyed ? 401 : 404, path);
      assert.match(res.headers.get("content-type") ?? "", /^application\/json/, path);
      await res.arrayBuffer();
    }
    const live = await get("/health/live", PAGE);
    assert.equal(live.status, 200);
    assert.equal((await live.json()).status, "ok");
    // The seed client's route still takes its POST.
    const legacy = await fetch(`${herald.url}/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ target_url: "http://127.0.0.1:9/hook", payload: { a: 1 } }),
    });
    assert.equal(legacy.status, 202);
    assert.equal((await legacy.json()).status, "pending");
  });

  test("nothing outside the folder, and no dotfile, is served", async () => {
    const outside = `${dir.split("/").at(-1)}-outside.txt`;
    for (const path of [
      "/.env",
      `/..%2f${outside}`,
      `/%2e%2e/${outside}`,
      `/assets/..%2f..%2f${outside}`,
      "/assets/%2e%2e/%2e%2e/etc/passwd",
    ]) {
      const res = await get(path);
      const body = await res.text();
      assert.ok([400, 403, 404].includes(res.status), `${path}: ${res.status} ${body}`);
      assert.ok(![OUTSIDE, DOTFILE, "root:"].some((secret) => body.includes(secret)), path);
    }
    // Raw, without the client's own path normalisation.
    const raw = await new Promise<string>((resolve, reject) => {
      const { port } = new URL(herald.url!);
      const socket = connect(Number(port), "127.0.0.1", () =>
        socket.write(`GET /../${outside} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
      );
      let out = "";
      socket.on("data", (d) => {
        out += d;
      });
      socket.on("end", () => resolve(out));
      socket.on("error", reject);
    });
    assert.match(raw, /^HTTP\/1\.1 (400|403|404) /);
    assert.ok(!raw.includes(OUTSIDE));
  });

  test("without a build, / says so and how to build it; a build appears without a restart", async () => {
    await rename(join(dir, "index.html"), join(dir, "index.html.away"));
    try {
      for (const path of ["/", "/endpoints"]) {
        const res = await get(path, PAGE);
        assert.equal(res.status, 200, path);
        assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
        assert.equal(res.headers.get("cache-control"), "no-store");
        const html = await res.text();
        assert.match(html, /not built/);
        assert.match(html, /npm run build/);
        assert.ok(!html.includes(dir), "the server's folders are not shown");
      }
    } finally {
      await rename(join(dir, "index.html.away"), join(dir, "index.html"));
    }
    const res = await get("/", PAGE);
    assert.equal(await res.text(), INDEX);
  });
});
