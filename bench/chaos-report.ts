// The chaos run's report: a Markdown table for the terminal and the docs/reliability.md page.

export function markdownTable(rows: [string, string, string][]): string {
  return [
    "| Measure | Value | |",
    "| --- | --- | --- |",
    ...rows.map(([k, v, c]) => `| ${k} | ${v} | ${c} |`),
  ].join("\n");
}

/** What a chaos run reports. */
export interface Run {
  command: string;
  settings: string;
  actions: string[];
  ok: boolean;
  table: string;
  notes: string[];
}

export function reliabilityPage(run: Run): string {
  const { command, settings, actions, ok, table, notes } = run;
  const kinds = [...new Set(actions)].map((a) => `${a} ×${actions.filter((x) => x === a).length}`);
  return `# Reliability

Herald promises at-least-once delivery. \`npm run chaos\` (bench/chaos.ts) tries to make it lose
events: while producers send, it SIGKILLs worker and API processes and restarts them, restarts
PostgreSQL with a fast shutdown, and takes the receiver offline (connection refused). Then it
waits for the queue to drain and counts, at the receiver, which acknowledged events arrived.
It exits 1 if any acknowledged event was lost, any delivery is left pending or in flight, an
event id is stored twice or an event is stored without its delivery.

## Latest run

\`\`\`
${command}
\`\`\`

${new Date().toISOString().slice(0, 10)}, ${settings}. Chaos: ${kinds.join("; ")}.
Result: **${ok ? "passed" : "FAILED"}**.

${table}
${notes.length ? `\n${notes.map((n) => `- ${n}`).join("\n")}\n` : ""}
Duplicates are expected, and are what at-least-once costs: a worker killed after the receiver
answered 200 but before the attempt was recorded, or one whose lease expired while PostgreSQL
was restarting (the run uses a 3 s lease; the default is 60 s), is sent again. Attempts and receiver
requests differ for the same reasons, and because
refused connects (\`connect_error\`) never reach the receiver; \`lease_expired\` rows are the
tries of killed workers, recorded when their lease ran out.

Settings of the Herald processes: \`HERALD_TIMEOUT_MS=1000 HERALD_LEASE_MS=3000
HERALD_RETRY_BASE_MS=100 HERALD_RETRY_MAX_WAIT_MS=2000 HERALD_POLL_INTERVAL_MS=250
HERALD_CIRCUIT_FAILURES=1000000\` (the circuit would otherwise pause the endpoint, by design).
\`npm run chaos -- --quick\` is the short version: about 2,000 events, one kill of each kind.
`;
}

const START = "<!-- failover: written by npm run chaos -- --failover -->";
const END = "<!-- /failover -->";

/** The failover run's part of docs/reliability.md, between its markers. */
export function failoverSection(run: Run): string {
  return `${START}
## Failover of PostgreSQL

\`npm run chaos -- --failover\` runs Herald on a primary with a synchronous streaming-replication
standby (PostgreSQL's own \`initdb\`, \`pg_basebackup\` and \`postgres\`, Debian's PostgreSQL 15),
both named in one \`DATABASE_URL\` (\`postgres://h1:p1,h2:p2/herald?target_session_attrs=read-write\`).
While producers send, the primary is SIGKILLed and, a second later, the standby promoted
(\`pg_promote()\`). Every 202 waited for the standby to flush the commit, so nothing acknowledged
can be missing from it; producers retry 503s and refused connections with the same id.

\`\`\`
${run.command}
\`\`\`

${new Date().toISOString().slice(0, 10)}, ${run.settings}. Result: **${run.ok ? "passed" : "FAILED"}**.

${run.table}
${run.notes.length ? `\n${run.notes.map((n) => `- ${n}`).join("\n")}\n` : ""}
The longest time producers went without an acknowledgement is shorter than the failover: the
backends of a killed postmaster finish the commits already under way, and the standby confirms
them. Duplicates come from leases (3 s in this run) that expired while no primary was there.
\`npm run chaos -- --failover --quick\` is the short version CI runs.
${END}`;
}

/** The failover section found in `page`, or "" (so a plain run keeps it). */
failoverSection.of = (page: string): string => {
  const a = page.indexOf(START);
  const b = page.indexOf(END);
  return a >= 0 && b > a ? page.slice(a, b + END.length) : "";
};

/** `page` with its failover section replaced by (or, when it has none, followed by) `section`. */
export function withFailover(page: string, section: string): string {
  if (!section) return page;
  const old = failoverSection.of(page);
  return old ? page.replace(old, section) : `${page.trimEnd()}\n\n${section}\n`;
}
