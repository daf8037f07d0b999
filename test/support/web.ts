// The dashboard's build and the browser that drives it, for the browser tests. The build is
// made by `npm install` (prepare) and by .ci/run; here it is made again only when missing or
// older than its sources, so a test never runs against a stale dashboard.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const WEB_DIST = join(ROOT, "web/dist");
/** Debian's Chromium; HERALD_CHROMIUM names another Chromium build to drive. */
export const CHROMIUM = process.env.HERALD_CHROMIUM || "/usr/bin/chromium";

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds web/dist unless it is there and newer than every source of the dashboard. */
export function ensureWebBuilt(): void {
  const index = join(WEB_DIST, "index.html");
  const sources = ["src", "index.html", "vite.config.ts"].map((p) => join(ROOT, "web", p));
  const newestSource = Math.max(...sources.filter(existsSync).map(newestMtime));
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource) return;
  execFileSync(process.execPath, [join(ROOT, "node_modules/vite/bin/vite.js"), "build", "web"], {
    cwd: ROOT,
    stdio: "pipe",
  });
}

/** Debian's Chromium, headless; a missing browser fails the test with what to install. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it with \`apt-get install -y chromium\` ` +
        "(.ci/run does this), or name another with HERALD_CHROMIUM. The browser tests need it " +
        "and do not skip.",
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * Collects the page's Content-Security-Policy violations (Chromium reports each on the console):
 * the dashboard must work under its strict policy, so a test asserts this stays empty.
 */
export function cspViolations(page: Page): string[] {
  const found: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) found.push(msg.text());
  });
  return found;
}

/** Where the README's screenshots go; null unless HERALD_SCREENSHOTS=1 asks for them. */
export function screenshotPath(name: string): string | null {
  return process.env.HERALD_SCREENSHOTS === "1" ? join(ROOT, "docs/screenshots", name) : null;
}
