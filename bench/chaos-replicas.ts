// A primary and a synchronous streaming-replication standby for `npm run chaos -- --failover`,
// made with PostgreSQL's own tools: initdb, pg_basebackup and postgres from PG_BIN (default
// Debian's PostgreSQL 15, /usr/lib/postgresql/15/bin: the embedded package ships no
// pg_basebackup; `apt-get install postgresql-15`). Both listen on 127.0.0.1 only, with trust
// authentication, in temp folders removed by stop(). The primary waits for the standby to
// flush every commit (synchronous_standby_names), so a 202 means both servers have the event.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { appendFile, chmod, chown, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { type Ids, runAsIds } from "../src/db/embedded.ts";
import { freePort } from "../test/support/processes.ts";

const run = promisify(execFile);
export const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export function replicationToolsMissing(): string | undefined {
  const missing = ["initdb", "pg_basebackup", "postgres"].filter(
    (t) => !existsSync(join(PG_BIN, t)),
  );
  return missing.length
    ? `${missing.join(", ")} not found in ${PG_BIN} (apt-get install postgresql-15, or set PG_BIN)`
    : undefined;
}

interface Server {
  proc: ChildProcess;
  exited: Promise<void>;
}

function startServer(dir: string, ids: Ids, ready: RegExp): Promise<Server> {
  const proc = spawn(join(PG_BIN, "postgres"), ["-D", dir], {
    ...ids,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  return new Promise((resolve, reject) => {
    let log = "";
    proc.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      log = (log + chunk).slice(-4000);
      if (ready.test(log)) resolve({ proc, exited });
    });
    proc.once("exit", (code) => reject(new Error(`postgres in ${dir} exited (${code}):\n${log}`)));
  });
}

export interface ReplicatedPair {
  /** Both servers, for Herald: whichever is the primary is used. */
  url: string;
  primaryPort: number;
  standbyPort: number;
  /** SIGKILL of the primary's postmaster (its backends follow). */
  killPrimary(): Promise<void>;
  /** pg_promote() on the standby; resolves once it accepts writes. */
  promoteStandby(): Promise<void>;
  stop(): Promise<void>;
}

export async function startReplicatedPair(): Promise<ReplicatedPair> {
  const ids = await runAsIds();
  const root = await mkdtemp(join(tmpdir(), "herald-failover-"));
  await chmod(root, 0o711);
  const primaryDir = join(root, "primary");
  const standbyDir = join(root, "standby");
  for (const d of [primaryDir, standbyDir]) {
    await mkdir(d, { mode: 0o700 });
    if (ids.uid !== undefined) await chown(d, ids.uid, ids.gid ?? ids.uid);
  }
  const [primaryPort, standbyPort] = [await freePort(), await freePort()];
  await run(
    join(PG_BIN, "initdb"),
    ["-D", primaryDir, "-U", "herald", "--auth=trust", "-E", "UTF8", "--locale=C"],
    ids,
  );
  const common = [
    "listen_addresses = '127.0.0.1'",
    "unix_socket_directories = ''",
    "max_connections = 300",
    "wal_level = replica",
    "max_wal_senders = 5",
    "hot_standby = on",
    "synchronous_commit = on",
  ];
  await appendFile(
    join(primaryDir, "postgresql.conf"),
    `\n${[...common, `port = ${primaryPort}`, "synchronous_standby_names = 'standby1'"].join("\n")}\n`,
  );
  const primary = await startServer(primaryDir, ids, /ready to accept connections/);
  const servers: Server[] = [primary];
  const admin = (port: number, database = "postgres") =>
    postgres({ host: "127.0.0.1", port, username: "herald", database, max: 1, onnotice: () => {} });
  try {
    // Asynchronous until the standby exists: the database is made before it is there.
    const a = admin(primaryPort);
    await a.unsafe("alter system set synchronous_standby_names = ''");
    await a.unsafe("select pg_reload_conf()");
    await a.unsafe("create database herald");
    await run(
      join(PG_BIN, "pg_basebackup"),
      [
        "-h",
        "127.0.0.1",
        "-p",
        String(primaryPort),
        "-U",
        "herald",
        "-D",
        standbyDir,
        "-X",
        "stream",
        // A fast checkpoint: the default spreads it over minutes.
        "--checkpoint=fast",
      ],
      ids,
    );
    await appendFile(join(standbyDir, "standby.signal"), "");
    await appendFile(
      join(standbyDir, "postgresql.auto.conf"),
      [
        `port = ${standbyPort}`,
        // Once promoted it stands alone: it must not wait for a standby of its own.
        "synchronous_standby_names = ''",
        `primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=herald application_name=standby1'`,
        "",
      ].join("\n"),
    );
    if (ids.uid !== undefined) {
      await run("chown", ["-R", `${ids.uid}:${ids.gid ?? ids.uid}`, standbyDir]);
    }
    servers.push(await startServer(standbyDir, ids, /ready to accept read-only connections/));
    await a.unsafe("alter system set synchronous_standby_names = 'standby1'");
    await a.unsafe("select pg_reload_conf()");
    for (let i = 0; ; i++) {
      const [row] = await a<{ state: string }[]>`
        select sync_state as state from pg_stat_replication where application_name = 'standby1'`;
      if (row?.state === "sync") break;
      if (i > 100) throw new Error("the standby never became synchronous");
      await new Promise((r) => setTimeout(r, 100));
    }
    await a.end();
  } catch (err) {
    for (const s of servers) s.proc.kill("SIGKILL");
    throw err;
  }
  return {
    url: `postgres://herald@127.0.0.1:${primaryPort},127.0.0.1:${standbyPort}/herald?target_session_attrs=read-write`,
    primaryPort,
    standbyPort,
    async killPrimary() {
      primary.proc.kill("SIGKILL");
      await primary.exited;
    },
    async promoteStandby() {
      const s = admin(standbyPort);
      try {
        await s`select pg_promote(true, 60)`;
      } finally {
        await s.end();
      }
    },
    async stop() {
      for (const s of servers) if (s.proc.exitCode === null) s.proc.kill("SIGINT");
      await Promise.all(servers.map((s) => s.exited));
      // The killed primary's backends may outlive it a moment.
      await new Promise((r) => setTimeout(r, 500));
      await rm(root, { recursive: true, force: true });
    },
  };
}
