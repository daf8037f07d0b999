// The dashboard: the single-page app built into `config.webDir` (web/dist), served at `/`.
// One catch-all GET route, checked at request time (a build made while Herald runs is served
// at once): a file of the build is sent as it is (@fastify/static: ETag, 304, ranges, MIME
// types, no path escaping the folder); any other path asked for as a page (Accept: text/html)
// gets index.html, for the app's own routes; everything else is the API's JSON 404. Paths of
// the API and the server's own routes are never the app's.
import { stat } from "node:fs/promises";
import { join, normalize } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../context.ts";

export const DASHBOARD_ROUTE = "/*";

/** First path segments that belong to the server, not to the app (matched whole: /in, not /inbox). */
const SERVER_PATHS = ["v1", "health", "metrics", "in", "events"];

/** Vite puts content-hashed files here: their name changes whenever their content does. */
const HASHED_DIR = "assets/";

const NOT_BUILT = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Herald: dashboard not built</title></head>
<body>
<h1>The dashboard is not built</h1>
<p>Herald is running and its API answers under <code>/v1</code>, but the dashboard's files
(<code>web/dist</code>, or the folder <code>HERALD_WEB_DIR</code> names) are missing.</p>
<p>Build them with <code>npm run build</code> in Herald's folder (<code>npm install</code> does it
too), then reload this page.</p>
</body>
</html>
`;

/** The request's path (decoded, without the leading slash) as the catch-all route matched it. */
export function dashboardPath(req: FastifyRequest): string {
  return (req.params as { "*"?: string })["*"] ?? "";
}

function isServerPath(path: string): boolean {
  return SERVER_PATHS.includes(path.split("/")[0] ?? "");
}

/** `path` as a file of the build, relative to it; undefined if it is not one. */
async function buildFile(root: string, path: string): Promise<string | undefined> {
  const rel = normalize(path).replace(/^\/+/, "");
  if (rel === "" || rel === "." || rel.includes("\0")) return undefined;
  // No way out of the folder, and no dotfiles.
  if (rel.split("/").some((segment) => segment.startsWith("."))) return undefined;
  const found = await stat(join(root, rel)).catch(() => undefined);
  return found?.isFile() ? rel : undefined;
}

/**
 * What a dashboard page may do: load scripts, styles and fonts from Herald only, talk to Herald
 * only, no inline script or style, no plugins, no <base>, forms posting nowhere else, and not
 * be framed (clickjacking). A script injected into the page through some future bug could not
 * run, nor send what it read anywhere.
 */
const POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
];

/**
 * The page's policy: the dashboard is never framed; the portal may be, by the origins the
 * platform names (HERALD_PORTAL_FRAME_ANCESTORS).
 */
export function contentSecurityPolicy(frameAncestors: string[] = []): string {
  const ancestors = frameAncestors.length ? frameAncestors.join(" ") : "'none'";
  return [...POLICY, `frame-ancestors ${ancestors}`].join("; ");
}

function pageHeaders(reply: FastifyReply, frameAncestors: string[]): FastifyReply {
  reply
    .header("content-security-policy", contentSecurityPolicy(frameAncestors))
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer");
  // Browsers that ignore frame-ancestors get the same answer where nobody may frame the page.
  if (!frameAncestors.length) {
    reply.header("x-frame-options", "DENY").header("cross-origin-opener-policy", "same-origin");
  }
  return reply;
}

/** The portal: the same app under /portal/, where it runs in tenant mode. */
const PORTAL = "portal";

function acceptsHtml(req: FastifyRequest): boolean {
  return req.headers.accept?.includes("text/html") ?? false;
}

export function dashboardRoutes(app: FastifyInstance, ctx: Context): void {
  const root = ctx.config.webDir;
  // Only reply.sendFile: the one route below decides what is served.
  app.register(fastifyStatic, { serve: false });

  const sendIndex = async (reply: FastifyReply, portal = false) => {
    pageHeaders(reply, portal ? ctx.config.portalFrameAncestors : []);
    if (!(await buildFile(root, "index.html"))) {
      return reply
        .code(200)
        .type("text/html; charset=utf-8")
        .header("cache-control", "no-store")
        .send(NOT_BUILT);
    }
    // Always revalidated (ETag): a new build's index names new asset files.
    return reply
      .header("cache-control", "no-cache")
      .sendFile("index.html", root, { cacheControl: false });
  };

  app.get(DASHBOARD_ROUTE, async (req, reply) => {
    let path = dashboardPath(req);
    if (isServerPath(path)) return reply.callNotFound();
    if (path === "" || path === "index.html") return sendIndex(reply);
    // /portal/ is the app again (its files by relative paths under /portal/ too).
    const portal = path === PORTAL || path.startsWith(`${PORTAL}/`);
    if (portal) {
      path = path.slice(PORTAL.length + 1);
      if (path === "" || path === "index.html") return sendIndex(reply, true);
    }
    const file = await buildFile(root, path);
    if (file) {
      reply.header("x-content-type-options", "nosniff");
      if (file.startsWith(HASHED_DIR)) {
        return reply.sendFile(file, root, { cacheControl: true, maxAge: "365d", immutable: true });
      }
      return reply
        .header("cache-control", "no-cache")
        .sendFile(file, root, { cacheControl: false });
    }
    if (acceptsHtml(req)) return sendIndex(reply, portal);
    return reply.callNotFound();
  });

  app.addHook("onReady", async () => {
    if (!(await buildFile(root, "index.html"))) {
      ctx.log.warn(
        { webDir: root },
        "the dashboard is not built (no index.html); run `npm run build`",
      );
    }
  });
}
