// docs/monitoring: the alert rules pass promtool, and every metric the rules, the Grafana
// dashboard and docs/operations.md's table name is one a running Herald exports (and every
// herald_* metric it exports is in that table).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { API_KEY, heraldForSuite } from "../helpers.ts";
import { families } from "../support/metrics.ts";

const doc = (path: string) => readFileSync(new URL(`../../docs/${path}`, import.meta.url), "utf8");
const RULES = "monitoring/alerts.yml";

/** Metric names in PromQL or prose: Herald's own and prom-client's process metrics. */
const metricNames = (text: string) =>
  new Set([...text.matchAll(/\b(?:herald|process|nodejs)_[a-z0-9_]*[a-z0-9]\b/g)].map((m) => m[0]));

/** The family a sample name belongs to (a histogram's _bucket, _sum and _count are its own). */
function familyOf(name: string, exported: Set<string>): string | undefined {
  if (exported.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, "");
  return exported.has(base) ? base : undefined;
}

describe("docs/monitoring", () => {
  const { herald } = heraldForSuite({});

  test("the alert rules pass promtool check rules", () => {
    const path = new URL(`../../docs/${RULES}`, import.meta.url).pathname;
    const r = spawnSync("promtool", ["check", "rules", path], { encoding: "utf8" });
    if (r.error) throw new Error(`promtool is needed (Debian's prometheus package): ${r.error}`);
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /SUCCESS: [1-9]\d* rules found/);
  });

  test("every metric the rules, the dashboard and the docs name is exported, and the docs list every one", async () => {
    const res = await fetch(`${herald.url}/metrics`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    const exported = families(await res.text());
    const dashboard = JSON.parse(doc("monitoring/grafana-dashboard.json")) as {
      panels: { targets: { expr: string }[] }[];
    };
    const queried = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join("\n");
    const table = doc("operations.md").split("## Monitoring")[1]?.split("\n## ")[0] ?? "";
    for (const [where, text] of [
      ["alerts.yml", doc(RULES)],
      ["grafana-dashboard.json", queried],
      ["operations.md#monitoring", table],
    ] as const) {
      const names = metricNames(text);
      assert.ok(names.size > 3, `${where} names metrics`);
      for (const name of names) {
        assert.ok(familyOf(name, exported), `${where} names ${name}, which Herald does not export`);
      }
    }
    const documented = metricNames(table);
    for (const name of exported) {
      if (name.startsWith("herald_")) {
        assert.ok(documented.has(name), `${name} is missing from docs/operations.md#monitoring`);
      }
    }
  });
});
