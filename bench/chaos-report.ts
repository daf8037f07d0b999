// The chaos run's report: a Markdown table for the terminal and the docs/reliability.md page.

export function markdownTable(rows: [string, string, string][]): string {
  return [
    "| Measure | Value | |",
    "| --- | --- | --- |",
    ...rows.map(([k, v, c]) => `| ${k} | ${v} | ${c} |`),
  ].join("\n");
}

export function reliabilityPage(run: {
  command: string;
  settings: string;
  actions: string[];
  ok: boolean;
  table: string;
  notes: string[];
}): string {
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
