// Resident memory of a process, from Linux's /proc/<pid>/status: VmRSS (now) and VmHWM (its
// peak so far, as the kernel saw it). Elsewhere the figures are missing (NaN), not invented.
import { readFileSync } from "node:fs";
import { round } from "./stats.ts";

/** VmRSS and VmHWM of `pid` in MB; NaN when unreadable (not Linux, or the process is gone). */
export function memoryOf(pid: number): { rss_mb: number; hwm_mb: number } {
  let status = "";
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return { rss_mb: Number.NaN, hwm_mb: Number.NaN };
  }
  const kb = (field: string) =>
    Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"))?.[1]);
  return { rss_mb: round(kb("VmRSS") / 1024), hwm_mb: round(kb("VmHWM") / 1024) };
}

export interface RssSummary {
  /** VmRSS at the first sample, at the peak of the samples and at the last sample, MB. */
  start_mb: number;
  peak_mb: number;
  end_mb: number;
  /** VmHWM when sampling stopped: the peak the kernel saw, including between samples. */
  hwm_mb: number;
  samples: number;
}

/** Samples VmRSS of `pid` every `intervalMs` until stop(). */
export class RssSampler {
  private readonly samples: number[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 250,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    const { rss_mb } = memoryOf(this.pid);
    if (!Number.isNaN(rss_mb)) this.samples.push(rss_mb);
  }

  /** The figures so far; sampling goes on. */
  summary(): RssSummary {
    return {
      start_mb: this.samples[0] ?? Number.NaN,
      peak_mb: this.samples.length ? Math.max(...this.samples) : Number.NaN,
      end_mb: this.samples.at(-1) ?? Number.NaN,
      hwm_mb: memoryOf(this.pid).hwm_mb,
      samples: this.samples.length,
    };
  }

  /** Takes a last sample and stops; call before the process exits (its /proc entry goes). */
  stop(): RssSummary {
    this.sample();
    clearInterval(this.timer);
    return this.summary();
  }
}

/** The larger of the sampled peak and VmHWM (which also sees what happened between samples). */
export const peakOf = (m: { peak_mb: number; hwm_mb: number }) =>
  Math.max(m.peak_mb, m.hwm_mb || 0);
