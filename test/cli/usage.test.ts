// `herald --version`, `herald <command> --help` for every command, and usage mistakes: one line
// on stderr and exit 2.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const BIN = new URL("../../bin/herald.js", import.meta.url).pathname;
const VERSION = JSON.parse(
  readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
).version;

async function herald(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("herald usage", () => {
  test("--version prints the package's version", async () => {
    for (const flag of ["--version", "-v"]) {
      const r = await herald(flag);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `herald ${VERSION}\n`);
    }
  });

  test("every command answers --help with its own usage, exit 0", async () => {
    for (const [command, mentions] of [
      ["serve", "--role"],
      ["keys", "herald keys create"],
      ["mock-receiver", "--failure-rate"],
    ] as const) {
      const r = await herald(command, "--help");
      assert.equal(r.code, 0, `${command}: ${r.stderr}`);
      assert.ok(r.stdout.includes(mentions), `${command}: ${r.stdout}`);
    }
  });

  test("an unknown command or flag is exit 2 with one line saying what", async () => {
    const unknown = await herald("launch");
    assert.equal(unknown.code, 2);
    assert.match(unknown.stdout, /Usage:/);
    const flag = await herald("serve", "--colour");
    assert.equal(flag.code, 2);
    assert.equal(flag.stderr.trim().split("\n").length, 1, flag.stderr);
    assert.match(flag.stderr, /^herald: .*--colour/);
  });
});
