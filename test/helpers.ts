// Test helpers: a fresh database per test file on the run's PostgreSQL, and a real Herald
// (HTTP API and/or worker) started in-process against it.
import { randomBytes } from "node:crypto";
import { after, before } from "node:test";
import pino from "pino";
import postgres from "postgres";
import { type Config, loadConfig } from "../src/config.ts";
import { connect, type Sql } from "../src/db/connect.ts";
import { migrate } from "../src/db/migrate.ts";
import { type RunningHerald, startHerald } from "../src/herald.ts";
import { TEST_ENCRYPTION_KEY } from "./support/processes.ts";

export const API_KEY = "test-key-0123456789-abcdefghijklmnop";
export { TEST_ENCRYPTION_KEY };

function baseUrl(): string {
  const url = process.env.HERALD_TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error("run tests with `npm test` (it provides a PostgreSQL)");
  return url;
}

/**
 * `databaseUrl` (a test file's database) as a superuser: for what Herald's own role may not do
 * (loading auto_explain). The run's server is Herald's embedded one, whose Herald role is no
 * superuser; with DATABASE_URL it is that URL's user.
 */
export function asSuperuser(databaseUrl: string): string {
  const admin = process.env.HERALD_TEST_ADMIN_URL;
  if (!admin) return databaseUrl;
  const url = new URL(admin);
  url.pathname = new URL(databaseUrl).pathname;
  return url.toString();
}

/**
 * Creates a database for one test file; returns its URL. Dropped by `drop()`. A copy of
 * `template` when given (CREATE DATABASE … TEMPLATE), else an empty one.
 */
export async function createTestDatabase(
  template?: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `herald_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(baseUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ""}`);
  await admin.end();
  const url = new URL(baseUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      // As a superuser when the run has one: WITH (FORCE) must end every session in it, and
      // only a superuser may end an autovacuum worker's (Herald's own role got "permission
      // denied" when one was at work there). The connection is closed whatever happens: left
      // open, it kept the file's process alive and the run hung.
      const a = postgres(process.env.HERALD_TEST_ADMIN_URL ?? baseUrl(), {
        max: 1,
        onnotice: () => {},
      });
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}

export interface MigratedDatabase {
  url: string;
  sql: Sql;
  drop(): Promise<void>;
}

/**
 * A migrated database and a connection to it: a copy of the run's migrated template
 * (`npm test` makes it once, see test/run.ts; copying is several times faster than migrating),
 * or, for a test file run without it, a new database migrated here.
 */
export async function migratedDatabase(): Promise<MigratedDatabase> {
  const template = process.env.HERALD_TEST_TEMPLATE;
  const db = await createTestDatabase(template);
  const sql = connect(db.url, 5);
  if (!template) await migrate(sql);
  return {
    url: db.url,
    sql,
    async drop() {
      await sql.end({ timeout: 1 });
      await db.drop();
    },
  };
}

export function testConfig(databaseUrl: string, overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({}),
    databaseUrl,
    port: 0,
    apiKey: API_KEY,
    encryptionKey: TEST_ENCRYPTION_KEY,
    // Tests make many failed requests from one address on purpose.
    authFailuresPerMinute: 1_000_000,
    allowPrivateNetworks: true,
    logLevel: "silent",
    retryBaseMs: 50,
    pollIntervalMs: 100,
    // Every answer a test gets is checked against the OpenAPI document's schema for it.
    checkResponses: true,
    ...overrides,
  };
}

type ApiCall = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<{ status: number; body: any }>;

export interface TestHerald extends RunningHerald {
  /** Calls the API over HTTP with the test key; returns status and parsed JSON (or null). */
  api: ApiCall;
  /**
   * The same call through Fastify's `inject()`: no socket, no HTTP client, for tests of what
   * the API answers that do not need a real connection.
   */
  inject: ApiCall;
}

/** The request callApi and inject send: the test key, and `body` as JSON unless it is a string. */
function request(body: unknown, headers: Record<string, string>) {
  return {
    headers: {
      authorization: `Bearer ${API_KEY}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  };
}

/**
 * Calls the API of the Herald at `baseUrl` with the test key (`headers` may replace it); sends
 * `body` as JSON, or as it is if it is a string. Returns the status and the parsed JSON (or null).
 */
export async function callApi(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}${path}`, { method, ...request(body, headers) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

export async function startTestHerald(
  databaseUrl: string,
  overrides: Partial<Config> = {},
): Promise<TestHerald> {
  const config = testConfig(databaseUrl, overrides);
  const herald = await startHerald(config, pino({ level: config.logLevel }));
  const api: ApiCall = (method, path, body, headers) =>
    callApi(herald.url as string, method, path, body, headers);
  const inject: ApiCall = async (method, path, body, headers = {}) => {
    if (!herald.app) throw new Error("this Herald serves no API");
    const { headers: h, body: payload } = request(body, headers);
    const res = await herald.app.inject({
      method: method as "GET",
      url: path,
      headers: h,
      ...(payload !== undefined ? { payload } : {}),
    });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
  };
  return Object.assign(herald, { api, inject });
}

/**
 * For the enclosing describe block: a migrated database, a Herald on it with `overrides` and,
 * if `startReceiver` is given, a receiver; started by a before hook, and stopped (the database
 * dropped) by an after hook. The objects are returned at once, empty, and filled in by that
 * before hook: use them inside tests and hooks, not in the describe body itself.
 */
export function heraldForSuite<R extends { close(): Promise<void> }>(
  overrides: Partial<Config> = {},
  startReceiver?: () => Promise<R>,
): { db: MigratedDatabase; herald: TestHerald; receiver: R } {
  const suite = { db: {} as MigratedDatabase, herald: {} as TestHerald, receiver: {} as R };
  const stops: (() => Promise<void>)[] = [];
  before(async () => {
    const db = await migratedDatabase();
    stops.unshift(() => db.drop());
    Object.assign(suite.db, db);
    if (startReceiver) {
      const receiver = await startReceiver();
      stops.unshift(() => receiver.close());
      Object.assign(suite.receiver, receiver);
    }
    const herald = await startTestHerald(db.url, overrides);
    stops.unshift(() => herald.stop());
    Object.assign(suite.herald, herald);
  });
  after(async () => {
    for (const stop of stops) await stop();
  });
  return suite;
}

/** Resolves when `check` returns a truthy value; polls every 20 ms, fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  timeoutMs = 10_000,
  what = "condition",
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
