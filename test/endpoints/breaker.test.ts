import assert from "node:assert/strict";
import { test } from "node:test";
import { breakerInput } from "../../src/endpoints/breaker.ts";

test("the breaker input folds outcomes per endpoint in time order: a success resets the streak", () => {
  const [a, b] = breakerInput([
    { endpointId: "a", ok: false, gone: false, at: 3 },
    { endpointId: "a", ok: true, gone: false, at: 2 },
    { endpointId: "b", ok: false, gone: true, at: 5 },
    { endpointId: "a", ok: false, gone: false, at: 1 },
    { endpointId: "a", ok: false, gone: false, at: 4 },
    { endpointId: "b", ok: false, gone: false, at: 6, neutral: true },
  ]);
  assert.deepEqual(a, {
    endpointId: "a",
    hadSuccess: true,
    failures: 2,
    firstFailureAt: 3,
    lastSuccessAt: 2,
    lastFailureAt: 4,
    gone: false,
  });
  assert.deepEqual(b, {
    endpointId: "b",
    hadSuccess: false,
    failures: 1,
    firstFailureAt: 5,
    lastSuccessAt: null,
    lastFailureAt: 5,
    gone: true,
  });
});
