#!/usr/bin/env node
// Entry point. Runs the compiled server in dist/ (`npm run build`, which `npm install` runs)
// when it was built after the last change to any source file; otherwise the TypeScript
// sources through tsx's loader, so an edited source is never shadowed by an old build.
// Either way in this one process (no wrapper: a signal sent to this pid reaches Herald).
// Compiled, each process needs ~36 MB less memory (74 vs 110 MB idle): tsx's loader runs in a
// thread of its own.
import { readdirSync, statSync } from "node:fs";

const src = new URL("../src/", import.meta.url);
const compiled = new URL("../dist/cli/main.js", import.meta.url);

function builtAt() {
  try {
    return statSync(compiled).mtimeMs;
  } catch {
    return undefined;
  }
}

function newestSource() {
  let newest = 0;
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith(".ts")) {
      const at = statSync(`${entry.parentPath}/${entry.name}`).mtimeMs;
      if (at > newest) newest = at;
    }
  }
  return newest;
}

const built = builtAt();
if (built !== undefined && built >= newestSource()) {
  await import(compiled.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
