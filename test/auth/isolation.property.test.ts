// Tenant isolation, property-based: two tenants' keys drive every tenant route with ids drawn
// from both tenants (and the platform's own objects, which have no tenant) and with random
// ones. Whatever the sequence, a tenant key never reads another's data (no foreign id in any
// answer), never changes it (the rows of every other owner are the same after each request),
// gets 404 for another's ids and 403 for naming another tenant.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import fc from "fast-check";
import type { Sql } from "../../src/db/connect.ts";
import { OPS_TYPES } from "../../src/queue/complete.ts";
import { heraldForSuite } from "../helpers.ts";
import { finishDelivery } from "../support/history.ts";
import { routesOf } from "../support/routes.ts";

type Owner = "t-a" | "t-b" | null;
type Kind = "endpoint" | "event" | "delivery" | "source";
const TENANTS = ["t-a", "t-b"] as const;

/** Every id made, with its owner; deleted endpoints and sources are noted. */
const owners = new Map<string, Owner>();
const kinds = new Map<Kind, string[]>([
  ["endpoint", []],
  ["event", []],
  ["delivery", []],
  ["source", []],
]);
const deleted = new Set<string>();

function remember(kind: Kind, id: string, owner: Owner) {
  owners.set(id, owner);
  (kinds.get(kind) as string[]).push(id);
}

interface Op {
  method: string;
  path: string;
  /** The kind of id in :id. */
  id?: Kind;
  /** A body; `target` is an endpoint id the body may name. */
  body?: (target: string, tenant: string | undefined) => unknown;
  /** Takes ?tenant= (then naming another tenant is 403). */
  tenantQuery?: boolean;
  /** Filters on ids by query (?endpoint_id=, ?subject=). */
  filter?: { name: string; kind: Kind };
  /** What it makes, to remember for later commands. */
  makes?: Kind;
}

const OPS: Op[] = [
  {
    method: "POST",
    path: "/v1/endpoints",
    makes: "endpoint",
    body: (_t, tenant) => ({ url: "http://127.0.0.1:9/h", ...(tenant ? { tenant } : {}) }),
  },
  { method: "GET", path: "/v1/endpoints", tenantQuery: true },
  { method: "GET", path: "/v1/endpoints/:id", id: "endpoint" },
  {
    method: "PATCH",
    path: "/v1/endpoints/:id",
    id: "endpoint",
    body: () => ({ description: "x" }),
  },
  { method: "DELETE", path: "/v1/endpoints/:id", id: "endpoint" },
  { method: "POST", path: "/v1/endpoints/:id/disable", id: "endpoint" },
  { method: "POST", path: "/v1/endpoints/:id/enable", id: "endpoint" },
  { method: "POST", path: "/v1/endpoints/:id/rotate-secret", id: "endpoint" },
  {
    method: "POST",
    path: "/v1/endpoints/:id/recover",
    id: "endpoint",
    body: () => ({ since: "2026-01-01T00:00:00Z" }),
  },
  { method: "POST", path: "/v1/endpoints/:id/test", id: "endpoint" },
  { method: "GET", path: "/v1/endpoints/:id/stats", id: "endpoint" },
  {
    method: "POST",
    path: "/v1/events",
    makes: "event",
    body: (target, tenant) => ({
      type: "t",
      payload: { n: 1 },
      ...(tenant ? { tenant } : {}),
      ...(target ? { endpoint_ids: [target] } : {}),
    }),
  },
  {
    // Naming another tenant is that item's 403 (the batch is 200): no item may carry another
    // tenant, and nothing of another owner may change.
    method: "POST",
    path: "/v1/events/batch",
    body: (target, tenant) => ({
      events: [
        {
          type: "t",
          payload: { n: 1 },
          ...(tenant ? { tenant } : {}),
          ...(target ? { endpoint_ids: [target] } : {}),
        },
      ],
    }),
  },
  { method: "GET", path: "/v1/events", tenantQuery: true },
  { method: "GET", path: "/v1/events/:id", id: "event", tenantQuery: true },
  {
    method: "POST",
    path: "/v1/events/:id/replay",
    id: "event",
    tenantQuery: true,
    body: (target) => (target ? { endpoint_ids: [target] } : undefined),
  },
  { method: "GET", path: "/v1/deliveries", filter: { name: "endpoint_id", kind: "endpoint" } },
  { method: "GET", path: "/v1/deliveries/:id", id: "delivery" },
  { method: "POST", path: "/v1/deliveries/:id/retry", id: "delivery" },
  {
    method: "POST",
    path: "/v1/sources",
    makes: "source",
    body: (target, tenant) => ({
      name: "s",
      provider: "standard-webhooks",
      ...(tenant ? { tenant } : {}),
      ...(target ? { endpoint_ids: [target] } : {}),
    }),
  },
  { method: "GET", path: "/v1/sources", tenantQuery: true },
  { method: "GET", path: "/v1/sources/:id", id: "source" },
  { method: "PATCH", path: "/v1/sources/:id", id: "source", body: () => ({ name: "renamed" }) },
  { method: "POST", path: "/v1/sources/:id/rotate-secret", id: "source" },
  { method: "DELETE", path: "/v1/sources/:id", id: "source" },
  { method: "GET", path: "/v1/audit", filter: { name: "subject", kind: "endpoint" } },
  { method: "GET", path: "/v1/me" },
];

/**
 * Every row not owned by `tenant`, as JSON text, to compare before and after a request. Left
 * out: the platform's own operational events (and their deliveries), which Herald writes
 * when a tenant switches its endpoint off or on: telling the platform is their purpose.
 */
async function othersRows(sql: Sql, tenant: string): Promise<string> {
  const announcement = sql`(e.tenant is null and e.type = any(${[...OPS_TYPES]}::text[]))`;
  const [row] = await sql<{ rows: string }[]>`
    select json_build_object(
      'endpoints', (select json_agg(to_jsonb(e) - array['in_flight', 'consecutive_failures',
                      'circuit_open_until', 'circuit_cooldown_ms', 'failing_since',
                      'last_success_at', 'last_failure_at', 'rate_window_start',
                      'rate_window_count'] order by id)
                    from endpoints e where tenant is distinct from ${tenant}),
      'events', (select json_agg(e order by seq) from events e
                 where tenant is distinct from ${tenant} and not ${announcement}),
      'deliveries', (select json_agg(d order by d.id) from all_deliveries d
                     join events e on e.seq = d.event_seq
                     where e.tenant is distinct from ${tenant} and not ${announcement}),
      'sources', (select json_agg(s order by id) from sources s where tenant is distinct from ${tenant}),
      'audit', (select json_agg(a order by id) from audit_log a where tenant is distinct from ${tenant})
    )::text as rows`;
  return row?.rows as string;
}

describe("tenant isolation (property-based)", () => {
  const { db, herald } = heraldForSuite({ role: "api" });
  const keys = new Map<string, string>();

  before(async () => {
    for (const tenant of TENANTS) {
      const made = await herald.api("POST", "/v1/api-keys", {
        name: tenant,
        scope: "tenant",
        tenant,
      });
      keys.set(tenant, made.body.key);
    }
    // Each owner: two endpoints, a source, two events (four deliveries, one of them finished).
    for (const owner of [...TENANTS, null] as Owner[]) {
      const tenant = owner === null ? {} : { tenant: owner };
      for (let i = 0; i < 2; i++) {
        const ep = await herald.api("POST", "/v1/endpoints", {
          url: "http://127.0.0.1:9/h",
          ...tenant,
        });
        assert.equal(ep.status, 201);
        remember("endpoint", ep.body.id, owner);
      }
      const src = await herald.api("POST", "/v1/sources", {
        name: "s",
        provider: "standard-webhooks",
        ...tenant,
      });
      assert.equal(src.status, 201);
      remember("source", src.body.id, owner);
      for (let i = 0; i < 2; i++) {
        const ev = await herald.api("POST", "/v1/events", { type: "t", payload: {}, ...tenant });
        assert.equal(ev.status, 202);
        remember("event", ev.body.id, owner);
        const got = await herald.api(
          "GET",
          `/v1/events/${ev.body.id}${owner ? `?tenant=${owner}` : ""}`,
        );
        for (const d of got.body.deliveries) remember("delivery", d.id, owner);
      }
    }
    await finishDelivery(db.sql, kinds.get("delivery")?.[0] as string, "failed");
  });

  test("the property covers every /v1 route but the operator ones", () => {
    // Operator routes, and the event-type catalogue: the platform's, the same for every tenant
    // to read and for admins only to write (test/endpoints/event-types.test.ts).
    const operator = [
      "/v1/api-keys",
      "/v1/stats/overview",
      "/v1/stream",
      "/v1/event-types",
      "/v1/portal-sessions",
      "/v1/openapi.json", // public, the same for everyone
    ];
    const covered = new Set(OPS.map((o) => `${o.method} ${o.path}`));
    for (const r of routesOf(herald).filter((r) => r.path.startsWith("/v1/"))) {
      if (operator.some((p) => r.path.startsWith(p))) continue;
      assert.ok(covered.has(`${r.method} ${r.path}`), `${r.method} ${r.path} is not driven`);
    }
  });

  test("no tenant key ever reads or changes another owner's data", async () => {
    // Ids are drawn by owner (so own and foreign ones both come often), or made up.
    const ref = fc.record({
      owner: fc.constantFrom<Owner>("t-a", "t-b", null),
      pick: fc.nat(),
      junk: fc.option(fc.stringMatching(/^[a-z0-9_]{1,24}$/), { freq: 6 }),
    });
    type Ref = { owner: Owner; pick: number; junk: string | null };
    const idOf = (kind: Kind, r: Ref): string => {
      if (r.junk !== null) return r.junk;
      const ids = (kinds.get(kind) as string[]).filter((id) => owners.get(id) === r.owner);
      return ids[r.pick % ids.length] as string;
    };
    const command = fc.record({
      as: fc.constantFrom(...TENANTS),
      op: fc.constantFrom(...OPS),
      target: ref,
      endpoint: fc.option(ref, { freq: 2 }),
      tenant: fc.constantFrom(undefined, ...TENANTS),
    });

    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 5 }), async (commands) => {
        for (const c of commands) {
          const { op } = c;
          const tenant = c.as;
          const id = op.id ? idOf(op.id, c.target) : "";
          const endpoint = c.endpoint ? idOf("endpoint", c.endpoint) : "";
          const query = new URLSearchParams();
          if (op.tenantQuery && c.tenant) query.set("tenant", c.tenant);
          if (op.filter && endpoint) query.set(op.filter.name, endpoint);
          const path = `${op.path.replace(":id", encodeURIComponent(id))}${query.size ? `?${query}` : ""}`;
          const body = op.body?.(endpoint, c.tenant);
          const before = await othersRows(db.sql, tenant);
          const res = await herald.api(op.method, path, body, {
            authorization: `Bearer ${keys.get(tenant)}`,
          });
          const what = `${tenant}: ${op.method} ${path} ${JSON.stringify(body)} -> ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;

          assert.ok(res.status < 500, what);
          assert.equal(await othersRows(db.sql, tenant), before, `changed another's rows: ${what}`);
          const text = JSON.stringify(res.body) ?? "";
          const asked = new Set([id, endpoint]);
          for (const [other, owner] of owners) {
            if (owner !== tenant && !asked.has(other)) {
              assert.ok(!text.includes(other), `${other} (${owner}) leaked: ${what}`);
            }
          }

          // Naming another tenant is refused before anything is looked up.
          const namesOther =
            c.tenant !== undefined && c.tenant !== tenant && (op.tenantQuery || op.makes);
          const foreignTarget = op.id !== undefined && owners.get(id) !== tenant;
          if (namesOther) {
            assert.equal(res.status, 403, what);
          } else if (foreignTarget) {
            assert.equal(res.status, 404, what);
            assert.match(res.body.error.code, /_not_found$/, what);
          } else if (op.id && owners.get(id) === tenant && !deleted.has(id)) {
            assert.notEqual(res.status, 404, what);
            assert.notEqual(res.status, 403, what);
          }
          if (res.status < 300) {
            for (const item of res.body?.data ?? []) {
              if ("tenant" in item) assert.equal(item.tenant, tenant, what);
            }
            if (op.makes && res.body?.id) remember(op.makes, res.body.id, tenant);
            if (op.method === "DELETE") deleted.add(id);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
