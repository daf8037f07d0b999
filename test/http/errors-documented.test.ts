import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { errorCodes } from "../../src/errors.ts";

test("every API error code is documented in docs/api.md with its status", () => {
  const doc = readFileSync(new URL("../../docs/api.md", import.meta.url), "utf8");
  for (const [code, [status]] of Object.entries(errorCodes)) {
    assert.match(
      doc,
      new RegExp(`\\| \`${code}\` \\| ${status} \\|`),
      `${code} (${status}) missing from docs/api.md`,
    );
  }
});
