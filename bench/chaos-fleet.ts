// The Herald processes of a chaos run: each slot is one `herald serve --role …` child on a
// fixed port, which the harness may SIGKILL and restart. A child that exits without being
// killed by us is a finding: it is counted, its last output printed, and it is restarted.
import { freePort, type HeraldProcess, spawnHerald } from "../test/support/processes.ts";

export interface Slot {
  role: "api" | "worker";
  name: string;
  url: string;
  proc?: HeraldProcess;
}

export class Fleet {
  readonly slots: Slot[] = [];
  /** Exits we did not cause, with the tail of the child's output. */
  readonly crashes: { name: string; exit: string; tail: string }[] = [];
  /** Every process started, killed or not, for its output. */
  readonly all: HeraldProcess[] = [];
  kills = 0;
  private stopping = false;
  private readonly port = new Map<Slot, string>();

  constructor(private readonly env: Record<string, string>) {}

  async add(role: "api" | "worker"): Promise<Slot> {
    const port = String(await freePort());
    const n = this.slots.filter((s) => s.role === role).length + 1;
    const slot: Slot = { role, name: `${role}${n}`, url: `http://127.0.0.1:${port}` };
    this.port.set(slot, port);
    this.slots.push(slot);
    await this.start(slot);
    return slot;
  }

  of(role: "api" | "worker"): Slot[] {
    return this.slots.filter((s) => s.role === role);
  }

  /** Starts the slot's process, retrying while the database is unreachable (say mid-restart). */
  private async start(slot: Slot): Promise<void> {
    for (let tries = 1; ; tries++) {
      try {
        const env = { ...this.env, HERALD_PORT: this.port.get(slot) as string };
        const proc = await spawnHerald(["--role", slot.role], env, { timeoutMs: 30_000 });
        slot.proc = proc;
        this.all.push(proc);
        proc.exited.then((exit) => {
          if (slot.proc !== proc || this.stopping) return;
          this.crashes.push({
            name: slot.name,
            exit: JSON.stringify(exit),
            tail: proc.output().slice(-1500),
          });
          console.log(`!! ${slot.name} exited on its own ${JSON.stringify(exit)}; restarting`);
          slot.proc = undefined;
          this.start(slot).catch((err) => console.log(`!! ${slot.name}: ${String(err)}`));
        });
        return;
      } catch (err) {
        if (tries >= 20 || this.stopping) throw err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  /** SIGKILLs the slot's process and starts a new one on the same port. */
  async killAndRestart(slot: Slot): Promise<void> {
    const proc = slot.proc;
    if (!proc) return;
    slot.proc = undefined;
    this.kills++;
    await proc.kill();
    await this.start(slot);
  }

  /** Log lines at error level or above (pino's 50, 60) from every process of the run. */
  errors(): string[] {
    return this.all.flatMap((p) =>
      p
        .output()
        .split("\n")
        .filter((l) => /"level":(50|60)/.test(l)),
    );
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.slots.map((s) => s.proc?.kill()));
  }
}
