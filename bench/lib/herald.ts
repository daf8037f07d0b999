// The Herald processes under test: `herald serve --role api|worker` children of the bench,
// each with an RSS sampler from its start. A phase starts what it needs and stops it all at
// its end with stop(), which reports each process's memory; stop() in a finally makes sure no
// child outlives the bench, even on error.
import { type HeraldProcess, spawnHerald } from "../../test/support/processes.ts";
import { API_KEY } from "./api.ts";
import { RssSampler, type RssSummary } from "./rss.ts";

export interface Member {
  /** "api", "worker-1", … */
  name: string;
  child: HeraldProcess;
  rss: RssSampler;
}

export interface ProcessMemory extends RssSummary {
  name: string;
}

export class Fleet {
  private members: Member[] = [];

  /** `profileDir`: each process writes a V8 CPU profile there (`--cpu-prof`). */
  constructor(
    private readonly databaseUrl: string,
    private readonly profileDir?: string,
  ) {}

  /** An API-only Herald, ready to answer (logging warnings only). */
  async api(): Promise<Member> {
    return this.start("api", "api", "warn", "ready");
  }

  /**
   * One Herald doing both (`herald serve`, as `npm start` runs it), ready to answer; with
   * `processes`, `herald serve --processes N` (ready once one of them answers).
   */
  async all(processes = 1): Promise<Member> {
    const extra = processes > 1 ? ["--processes", String(processes)] : [];
    return this.start(processes > 1 ? `all ×${processes}` : "all", "all", "warn", "ready", extra);
  }

  /**
   * `n` worker processes, started together; resolved once each logged "Herald started" (which
   * needs the info level; a worker logs little at info, and that is filtered out of our output).
   */
  async workers(n: number): Promise<Member[]> {
    return Promise.all(
      Array.from({ length: n }, (_, i) =>
        this.start(`worker-${i + 1}`, "worker", "info", "started"),
      ),
    );
  }

  private async start(
    name: string,
    role: "all" | "api" | "worker",
    logLevel: string,
    waitFor: "ready" | "started",
    extraArgs: string[] = [],
  ): Promise<Member> {
    const env = {
      DATABASE_URL: this.databaseUrl,
      HERALD_API_KEY: API_KEY,
      HERALD_LOG_LEVEL: logLevel,
    };
    const nodeArgs = this.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${this.profileDir}`] : [];
    // Our own HERALD_* settings (say HERALD_WORKER_CONCURRENCY) reach the Herald under test.
    const child = await spawnHerald(["--role", role, ...extraArgs], env, {
      waitFor,
      baseEnv: process.env,
      nodeArgs,
    });
    echoWarnings(name, child);
    const member = { name, child, rss: new RssSampler(child.proc.pid as number) };
    this.members.push(member);
    return member;
  }

  /** The running processes' names and pids. */
  pids(): { name: string; pid: number }[] {
    return this.members.map((m) => ({ name: m.name, pid: m.child.proc.pid as number }));
  }

  /** Stops every running process (SIGTERM, in parallel); returns their memory figures. */
  async stop(): Promise<ProcessMemory[]> {
    const members = this.members.sort((a, b) =>
      a.name.localeCompare(b.name, "en", { numeric: true }),
    );
    this.members = [];
    const memory = members.map((m) => ({ name: m.name, ...m.rss.stop() }));
    await Promise.all(members.map((m) => m.child.stop()));
    return memory;
  }
}

/** Copies the child's output lines to ours, except pino lines below warn (level 40). */
function echoWarnings(name: string, child: HeraldProcess): void {
  for (const stream of [child.proc.stdout, child.proc.stderr]) {
    let partial = "";
    stream?.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        const level = Number(line.match(/^\{"level":(\d+)/)?.[1] ?? 100);
        if (line.trim() && level >= 40) console.error(`[${name}] ${line}`);
      }
    });
  }
}
