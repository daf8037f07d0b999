// Summarises a V8 .cpuprofile: self time by function and by package (where time goes).
// Usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top]
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error("usage: profile-summary <file.cpuprofile> [top]");
const profile = JSON.parse(readFileSync(file, "utf8")) as {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
};
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
for (const [i, id] of profile.samples.entries()) {
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fn = new Map<string, number>();
const pkg = new Map<string, number>();
for (const [id, us] of self) {
  const { functionName, url, lineNumber } = (byId.get(id) as Node).callFrame;
  const where = url.replace(/^.*\/work\/main\//, "");
  fn.set(
    `${functionName || "(anon)"} ${where}:${lineNumber}`,
    (fn.get(`${functionName || "(anon)"} ${where}:${lineNumber}`) ?? 0) + us,
  );
  const p =
    url.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1] ??
    (url.startsWith("node:")
      ? "node:internal"
      : url
        ? where.startsWith("src/")
          ? "herald src"
          : where
        : functionName);
  pkg.set(p, (pkg.get(p) ?? 0) + us);
}
const show = (m: Map<string, number>, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
    .join("\n");
console.log(
  `total ${(total / 1e6).toFixed(2)} s\n\nby package:\n${show(pkg, 15)}\n\nby function:\n${show(fn, Number(topArg ?? 25))}`,
);
