// The overview: counters and the last 15 minutes of delivery attempts. It starts from
// GET /v1/stats/overview and then follows the stream's `stats` messages; when none has come
// for a while (a server that sends none, or a quiet stream) it refetches on a timer.
import { useEffect, useRef, useState } from "react";
import { isOverview, type OverviewJson, type OverviewStats, toOverview } from "../api/overview.ts";
import { ErrorLine } from "../components/bits.tsx";
import { formatCount, formatDuration, formatPercent } from "../components/format.ts";
import { ThroughputChart } from "../components/throughput-chart.tsx";
import { useLoad } from "../components/use-load.ts";
import { useSession, useStream } from "../session.tsx";

const REFRESH_MS = 5_000;

export function OverviewPage() {
  const { api, epoch } = useSession();
  const lastPush = useRef(0);
  const [, setTick] = useState(0);
  const stats = useLoad<OverviewStats>(
    async () => toOverview(await api.get<OverviewJson>("/stats/overview")),
    [api, epoch],
  );

  useStream("stats", (data) => {
    if (!isOverview(data)) return;
    lastPush.current = Date.now();
    stats.setData(() => toOverview(data));
  });
  useEffect(() => {
    const timer = setInterval(() => {
      if (Date.now() - lastPush.current > REFRESH_MS) stats.reload();
      else setTick((t) => t + 1);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [stats.reload]);

  const s = stats.data;
  return (
    <section data-testid="overview">
      <h1>Overview</h1>
      <ErrorLine error={stats.error} />
      <div className="tiles">
        <Tile label="Events accepted" value={count(s?.eventsAccepted, s?.eventsEstimated)} />
        <Tile label="Succeeded" value={count(s?.succeeded, s?.deliveriesEstimated)} tone="good" />
        <Tile label="Retrying" value={count(s?.retrying, s?.deliveriesEstimated)} tone="warn" />
        <Tile
          label="Failed"
          value={count(s?.failed, s?.deliveriesEstimated)}
          tone="bad"
          href="#/failed"
        />
        <Tile label="Queue depth" value={count(s?.queueDepth, s?.queueEstimated)} />
        <Tile
          label="Oldest pending"
          value={!s ? "—" : s.oldestPendingMs === null ? "none" : formatDuration(s.oldestPendingMs)}
        />
      </div>
      <div className="card">
        <div className="chart-head">
          <h2>Last {s ? Math.round(s.windowMs / 60_000) : 15} minutes</h2>
          <span className="legend rate">deliveries / s</span>
          <span className="legend fail">failure rate</span>
        </div>
        {s && (
          <p className="muted summary">
            {count(s.eventsRecent, s.eventsEstimated)} events accepted,{" "}
            {formatCount(s.windowSucceeded + s.windowFailed)} attempts,{" "}
            {formatCount(s.windowFailed)} failed
            {s.windowSucceeded + s.windowFailed > 0 &&
              ` (${formatPercent(s.windowFailed / (s.windowSucceeded + s.windowFailed))})`}
          </p>
        )}
        {s && (
          <ThroughputChart
            points={s.series}
            bucketMs={s.bucketMs}
            windowMs={s.windowMs}
            now={s.asOf}
          />
        )}
      </div>
    </section>
  );
}

/** A count, marked "≈" when Herald estimated it (tables too large to count on every refresh). */
function count(n: number | undefined, estimated: boolean | undefined): string {
  return `${estimated ? "≈ " : ""}${formatCount(n)}`;
}

function Tile(props: { label: string; value: string; tone?: string; href?: string }) {
  const body = (
    <>
      <span className="tile-label">{props.label}</span>
      <span className="tile-value">{props.value}</span>
    </>
  );
  const className = `tile ${props.tone ?? ""}`;
  return props.href ? (
    <a className={className} href={props.href} data-testid={`tile-${props.label}`}>
      {body}
    </a>
  ) : (
    <div className={className} data-testid={`tile-${props.label}`}>
      {body}
    </div>
  );
}
