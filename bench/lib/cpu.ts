// CPU time spent during a window, split by who spent it: each Herald process (from Linux's
// /proc/<pid>/stat), this bench process (the load generator and the receivers), and the rest
// of the machine (/proc/stat less those two: PostgreSQL, in a bench that has the machine to
// itself). Elsewhere the figures are missing (NaN), not invented.
import { readdirSync, readFileSync } from "node:fs";
import { round } from "./stats.ts";

/** Linux's USER_HZ: the unit of /proc's CPU times. */
const TICKS_PER_S = 100;

/** CPU seconds of `pid` and of its children (`herald serve --processes N` runs N of them). */
function processSeconds(pid: number): number {
  return [pid, ...childrenOf(pid)].reduce((sum, p) => sum + ownSeconds(p), 0);
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The parent's pid is the 2nd field after the command.
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) {
        children.push(Number(entry));
      }
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

function ownSeconds(pid: number): number {
  try {
    // Fields after the command (which may hold spaces, hence from the last ")"): utime is the
    // 12th, stime the 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}

function machineBusySeconds(): number {
  try {
    const [cpu] = readFileSync("/proc/stat", "utf8").split("\n");
    const t = (cpu as string).trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: busy is user, nice, system, irq and
    // softirq; steal (the hypervisor running someone else) is no one's here.
    const [user, nice, system, , , irq, softirq] = t as number[];
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0)) / TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}

export interface CpuSplit {
  /** CPU seconds of each Herald process, by name. */
  herald: Record<string, number>;
  bench: number;
  /** The machine's busy seconds less Herald's and the bench's: PostgreSQL, mostly. */
  rest: number;
  seconds: number;
}

/** Starts a window over `processes` (name → pid); `end()` returns what each spent in it. */
export function cpuWindow(processes: { name: string; pid: number }[]): { end(): CpuSplit } {
  const t0 = performance.now();
  const machine0 = machineBusySeconds();
  const bench0 = process.cpuUsage();
  const herald0 = processes.map((p) => processSeconds(p.pid));
  return {
    end() {
      const machine = machineBusySeconds() - machine0;
      const b = process.cpuUsage(bench0);
      const bench = (b.user + b.system) / 1e6;
      const herald = Object.fromEntries(
        processes.map((p, i) => [p.name, round(processSeconds(p.pid) - (herald0[i] as number), 2)]),
      );
      const heraldTotal = Object.values(herald).reduce((a, b) => a + b, 0);
      return {
        herald,
        bench: round(bench, 2),
        rest: round(machine - heraldTotal - bench, 2),
        seconds: round((performance.now() - t0) / 1000, 2),
      };
    },
  };
}

/** Microseconds of CPU per event for each part of `split` over `events`. */
export function perEvent(split: CpuSplit, events: number): Record<string, number> {
  const us = (s: number) => Math.round((s / events) * 1e6);
  return {
    ...Object.fromEntries(Object.entries(split.herald).map(([k, v]) => [k, us(v)])),
    "bench (load + receiver)": us(split.bench),
    "rest (PostgreSQL)": us(split.rest),
  };
}
