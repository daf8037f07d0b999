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

export const API_KEY = "test-key-0123456789";

function baseUrl(): string {
  const url = process.env.HERALD_TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error("run tests with `npm test` (it provides a PostgreSQL)");
  return url;
}

/** Creates an empty database for one test file; returns its URL. Dropped by `drop()`. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `herald_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(baseUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(baseUrl(), { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export interface MigratedDatabase {
  url: string;
  sql: Sql;
  drop(): Promise<void>;
}

/** A migrated database and a connection to it. */
export async function migratedDatabase(): Promise<MigratedDatabase> {
  const db = await createTestDatabase();
  const sql = connect(db.url, 5);
  await migrate(sql);
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
    allowPrivateNetworks: true,
    logLevel: "silent",
    retryBaseMs: 50,
    pollIntervalMs: 100,
    ...overrides,
  };
}

export interface TestHerald extends RunningHerald {
  /** Calls the API with the test key; returns status and parsed JSON (or null). */
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
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
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${API_KEY}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

export async function startTestHerald(
  databaseUrl: string,
  overrides: Partial<Config> = {},
): Promise<TestHerald> {
  const config = testConfig(databaseUrl, overrides);
  const herald = await startHerald(config, pino({ level: config.logLevel }));
  return Object.assign(herald, {
    api: (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      callApi(herald.url as string, method, path, body, headers),
  });
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
