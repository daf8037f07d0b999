// The bench's report: one row per figure (phase | figure | result | target | met?) under a
// header naming the machine and the settings, as Markdown for bench/results/ and the terminal.
import { cpus, totalmem } from "node:os";
import type { ServerFacts } from "./queue.ts";
import { peakOf } from "./rss.ts";
import type { LatencySummary } from "./stats.ts";

export interface Row {
  phase: string;
  figure: string;
  result: string;
  /** What the issue asks for; absent when the figure is only measured. */
  target?: string;
  met?: boolean;
}

export interface Machine {
  cpu: string;
  cores: number;
  memory_gib: number;
  node: string;
  postgres: ServerFacts;
}

export function machine(postgres: ServerFacts): Machine {
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memory_gib: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres,
  };
}

/** A whole number with thousands separators. */
export const n = (x: number) =>
  Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "n/a";

/** A figure in milliseconds. */
export const ms = (x: number) => (Number.isFinite(x) ? `${x} ms` : "n/a");

/** "p50 1.2 ms, p99 8 ms, max 12 ms" */
export const latencyText = (s: LatencySummary) =>
  `p50 ${ms(s.p50_ms)}, p99 ${ms(s.p99_ms)}, max ${ms(s.max_ms)}`;

export function markdown(o: {
  at: string;
  machine: Machine;
  settings: Record<string, string | number | boolean>;
  rows: Row[];
}): string {
  const m = o.machine;
  const cell = (s: string) => s.replaceAll("|", "\\|");
  const lines = [
    `Herald bench, ${o.at}`,
    "",
    `- machine: ${m.cores} × ${m.cpu}, ${m.memory_gib} GiB, Node ${m.node}, PostgreSQL ${m.postgres.version} (shared_buffers ${m.postgres.shared_buffers}, synchronous_commit ${m.postgres.synchronous_commit})`,
    `- settings: ${Object.entries(o.settings)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    "",
    "| phase | figure | result | target | met? |",
    "| --- | --- | --- | --- | --- |",
    ...o.rows.map((r) => {
      const met = r.met === undefined ? "" : r.met ? "yes" : "**no**";
      return `| ${r.phase} | ${cell(r.figure)} | ${cell(r.result)} | ${cell(r.target ?? "")} | ${met} |`;
    }),
  ];
  return `${lines.join("\n")}\n`;
}

/** Largest resident size a process may reach (the issue's target). */
export const RSS_TARGET_MB = 200;

/** One row: each process's peak RSS (the larger of the sampled peak and VmHWM). */
export function memoryRow(
  phase: string,
  figure: string,
  memory: { name: string; peak_mb: number; hwm_mb: number }[],
): Row {
  return {
    phase,
    figure,
    result: memory.map((p) => `${p.name} ${Math.round(peakOf(p))} MB`).join(", "),
    target: `≤ ${RSS_TARGET_MB} MB each`,
    met: memory.every((p) => peakOf(p) <= RSS_TARGET_MB),
  };
}
