// A multi-host DATABASE_URL: Herald connects to whichever host answers as a primary, skipping
// hosts that are down (the failover itself is npm run chaos -- --failover).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { connect } from "../../src/db/connect.ts";
import { type MigratedDatabase, migratedDatabase, startTestHerald } from "../helpers.ts";
import { freePort } from "../support/processes.ts";

let db: MigratedDatabase;
before(async () => {
  db = await migratedDatabase();
});
after(() => db?.drop());

/** The test database's URL with a host that is down named first. */
async function withDeadHostFirst(attrs: string): Promise<string> {
  const url = new URL(db.url);
  const dead = await freePort();
  const auth = `${url.username}${url.password ? `:${url.password}` : ""}@`;
  return `postgres://${auth}127.0.0.1:${dead},${url.host}${url.pathname}?target_session_attrs=${attrs}`;
}

test("a URL naming a host that is down, then the primary, reaches the primary", async () => {
  for (const attrs of ["read-write", "primary"]) {
    const sql = connect(await withDeadHostFirst(attrs), 1);
    try {
      const [row] = await sql<
        { ro: string }[]
      >`select current_setting('transaction_read_only') as ro`;
      assert.equal(row?.ro, "off", attrs);
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
});

test("Herald runs on such a URL: events are accepted", async () => {
  const herald = await startTestHerald(await withDeadHostFirst("read-write"), { role: "api" });
  try {
    const res = await herald.api("POST", "/v1/events", { type: "t", payload: {} });
    assert.equal(res.status, 202, JSON.stringify(res.body));
  } finally {
    await herald.stop();
  }
});
