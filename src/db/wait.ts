// Waiting for the database at start: a restart, a failover or a managed database that is still
// coming up must not end a Herald process. `attempt` is tried until it succeeds, with a capped
// backoff, and every wait is logged with its reason. Only errors that mean "not reachable (yet)"
// are waited out; any other (a migration newer than this Herald, a bug) fails at once.
import type { Logger } from "pino";
import { isUnavailable } from "./connect.ts";

/** Not reachable yet, as far as a starting process can tell: also a role or database still being made. */
const NOT_YET = new Set(["28000", "28P01", "3D000"]);

export class StartAborted extends Error {}

export interface WaitOptions {
  log: Logger;
  /** Aborting ends the wait with StartAborted (a signal while starting). */
  signal?: AbortSignal;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

export async function untilDatabase<T>(attempt: () => Promise<T>, o: WaitOptions): Promise<T> {
  let delay = o.firstDelayMs ?? 250;
  const max = o.maxDelayMs ?? 5_000;
  for (;;) {
    if (o.signal?.aborted) throw new StartAborted("stopped while waiting for the database");
    try {
      return await attempt();
    } catch (err) {
      const code = (err as { code?: unknown })?.code;
      if (!isUnavailable(err) && !(typeof code === "string" && NOT_YET.has(code))) throw err;
      o.log.warn(
        {
          reason: `${typeof code === "string" ? `${code}: ` : ""}${(err as Error).message}`,
          retryInMs: delay,
        },
        "waiting for the database",
      );
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      o.signal?.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
    delay = Math.min(max, delay * 2);
  }
}
