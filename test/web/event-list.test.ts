// The dashboard's events list holds at most CAP rows however many events stream in or the
// operator pages through, and "load more" still resumes exactly where the kept rows end.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { EventSummary } from "../../web/src/api/types.ts";
import {
  addLive,
  addPage,
  CAP,
  firstPage,
  matches,
  nextCursor,
  parseSearch,
  rowStatus,
  rows,
} from "../../web/src/pages/event-list.ts";

const ev = (n: number, tenant: string | null = "t"): EventSummary => ({
  id: `evt_${n}`,
  tenant,
  type: "x",
  created_at: new Date(n * 1000).toISOString(),
});
/** Events n down to n - count + 1, newest first, as the API pages them. */
const page = (from: number, count: number) => Array.from({ length: count }, (_, i) => ev(from - i));

describe("dashboard events list", () => {
  test("live events go on top, newest first, without duplicates", () => {
    let list = firstPage(page(10, 10), "c1");
    list = addLive(list, [ev(11), ev(12), ev(10)]);
    assert.deepEqual(
      rows(list)
        .slice(0, 3)
        .map((e) => e.id),
      ["evt_12", "evt_11", "evt_10"],
    );
    assert.equal(rows(list).length, 12);
    assert.ok(list.fresh.has("t\u0000evt_12"));
  });

  test("live events past the cap drop whole pages from the bottom and keep their cursor", () => {
    let list = firstPage(page(1000, 200), "c1");
    list = addPage(list, "c1", page(800, 200), "c2");
    assert.equal(nextCursor(list), "c2");
    list = addLive(list, page(1200, 150).reverse());
    assert.ok(rows(list).length <= CAP);
    assert.equal(rows(list).length, 350);
    assert.equal(nextCursor(list), "c1", "load more fetches the dropped page again");
    assert.equal(list.resync, false);
  });

  test("when only the first page is left, the list asks for a fresh first page", () => {
    let list = firstPage(page(100, 100), null);
    list = addLive(list, page(1000, 450).reverse());
    assert.equal(list.resync, true);
    assert.ok(rows(list).length <= CAP);
  });

  test("paging back past the cap trims the top and stops taking live rows", () => {
    let list = firstPage(page(2000, 200), "c1");
    list = addPage(list, "c1", page(1800, 200), "c2");
    list = addPage(list, "c2", page(1600, 200), "c3");
    assert.equal(rows(list).length, CAP);
    assert.equal(rows(list)[0]?.id, "evt_1900");
    assert.equal(nextCursor(list), "c3");
    assert.equal(list.windowed, true);
    list = addLive(list, [ev(3000)]);
    assert.equal(rows(list).length, CAP);
    assert.equal(list.missed, 1);
  });

  test("live events are kept only when they match the list's filters", () => {
    assert.ok(matches(ev(1, "a"), { tenant: "", type: "" }));
    assert.ok(matches(ev(1, "a"), { tenant: "a", type: "x" }));
    assert.ok(!matches(ev(1, "a"), { tenant: "b", type: "" }));
    assert.ok(!matches(ev(1, null), { tenant: "a", type: "" }));
    assert.ok(!matches(ev(1, "a"), { tenant: "", type: "y" }));
  });
});

describe("the events search box", () => {
  test("payload.<path> = <value> searches a payload field, anything else is an id prefix", () => {
    assert.deepEqual(parseSearch("payload.customer_id = cust_001"), {
      payload_path: "customer_id",
      payload_value: "cust_001",
    });
    assert.deepEqual(parseSearch('  payload.customer.id="cus 42" '), {
      payload_path: "customer.id",
      payload_value: "cus 42",
    });
    assert.deepEqual(parseSearch("payload.total=42"), {
      payload_path: "total",
      payload_value: "42",
    });
    assert.deepEqual(parseSearch("evt_12"), { id_prefix: "evt_12" });
    assert.deepEqual(parseSearch("payload"), { id_prefix: "payload" });
    assert.deepEqual(parseSearch("a = b"), { id_prefix: "a = b" });
    assert.equal(parseSearch("   "), null);
  });

  test("a row's status: the list's, or for a live row a guess from its delivery count", () => {
    const base = ev(1);
    assert.deepEqual(rowStatus({ ...base, status: "failed", delivery_count: 3 }), {
      status: "failed",
      count: 3,
    });
    assert.deepEqual(rowStatus({ ...base, deliveries: 2 }), { status: "pending", count: 2 });
    assert.deepEqual(rowStatus({ ...base, deliveries: 0 }), { status: "none", count: 0 });
    assert.deepEqual(rowStatus(base), { status: "pending", count: null });
  });
});
