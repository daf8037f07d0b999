// Test helpers: a fresh database per test file on the run's PostgreSQL, and a real Herald
// (HTTP API and/or worker) started in-process against it.
import { randomBytes } from "node:crypto";
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

/** A migrated database and a connection to it. */
export async function migratedDatabase(): Promise<{
  url: string;
  sql: Sql;
  drop(): Promise<void>;
}> {
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

export async function startTestHerald(
  databaseUrl: string,
  overrides: Partial<Config> = {},
): Promise<TestHerald> {
  const config = testConfig(databaseUrl, overrides);
  const herald = await startHerald(config, pino({ level: config.logLevel }));
  return Object.assign(herald, {
    async api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const res = await fetch(`${herald.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${API_KEY}`,
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
          ...headers,
        },
        body:
          body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
  });
}

/** Resolves when `check` returns a truthy value; polls every 20 ms, fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  timeoutMs = 10_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
