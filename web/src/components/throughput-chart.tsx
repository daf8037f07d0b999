// Deliveries per second (filled, left scale) and failure rate (line, right scale, 0–100%)
// over the last minutes, as a hand-drawn SVG: a charting library would outweigh the app.
export interface ChartPoint {
  /** Start of the bucket, ms since the epoch. */
  at: number;
  succeeded: number;
  failed: number;
}

const W = 720;
const H = 220;
const PAD = { left: 44, right: 44, top: 12, bottom: 26 };

/** A round scale top at or above `max` whose quarters read well (1, 2, 4, 8 × 10^n). */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const pow = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 4, 8, 10]) if (m * pow >= max) return m * pow;
  return 10 * pow;
}

function formatRate(v: number): string {
  if (v >= 1000) return `${Number((v / 1000).toFixed(v >= 10_000 ? 0 : 1))}k`;
  return String(Number(v.toFixed(v >= 10 ? 0 : 2)));
}

export function ThroughputChart({
  points,
  bucketMs,
  windowMs,
  now,
}: {
  points: ChartPoint[];
  bucketMs: number;
  windowMs: number;
  now: number;
}) {
  const start = now - windowMs;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + ((t - start) / windowMs) * innerW;
  const sorted = points.filter((p) => p.at >= start - bucketMs).sort((a, b) => a.at - b.at);
  const perSecond = sorted.map((p) => ({
    at: p.at + bucketMs / 2,
    rate: (p.succeeded + p.failed) / (bucketMs / 1000),
    failure: p.succeeded + p.failed > 0 ? p.failed / (p.succeeded + p.failed) : null,
  }));
  const top = niceMax(Math.max(0, ...perSecond.map((p) => p.rate)));
  const yRate = (v: number) => PAD.top + innerH - (v / top) * innerH;
  const yShare = (v: number) => PAD.top + innerH - v * innerH;
  const clampX = (t: number) => Math.min(Math.max(x(t), PAD.left), PAD.left + innerW);

  const line = perSecond.map((p) => `${clampX(p.at).toFixed(1)},${yRate(p.rate).toFixed(1)}`);
  const area =
    perSecond.length > 0
      ? `M${clampX(perSecond[0]?.at ?? start).toFixed(1)},${yRate(0)} L${line.join(" L")} L${clampX(perSecond.at(-1)?.at ?? now).toFixed(1)},${yRate(0)} Z`
      : "";
  // The failure line breaks where a bucket had no attempts (no attempts, no rate); a bucket
  // alone between such gaps is drawn as a dot.
  const failureSegments: { x: number; y: number }[][] = [];
  let current: { x: number; y: number }[] = [];
  for (const p of perSecond) {
    if (p.failure === null) {
      if (current.length) failureSegments.push(current);
      current = [];
    } else current.push({ x: clampX(p.at), y: yShare(p.failure) });
  }
  if (current.length) failureSegments.push(current);

  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const minutes = Math.round(windowMs / 60_000);
  const timeTicks = [0, 1 / 3, 2 / 3, 1].map((f) => ({
    x: PAD.left + f * innerW,
    label: f === 1 ? "now" : `−${Math.round(minutes * (1 - f))} min`,
  }));

  return (
    <svg
      className="chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label="Deliveries per second and failure rate"
      data-testid="chart"
      data-points={perSecond.length}
      data-attempts={sorted.reduce((n, p) => n + p.succeeded + p.failed, 0)}
    >
      <title>Deliveries per second and failure rate, last {minutes} minutes</title>
      {ticks.map((t) => (
        <g key={t}>
          <line
            className="grid"
            x1={PAD.left}
            x2={PAD.left + innerW}
            y1={yShare(t)}
            y2={yShare(t)}
          />
          <text className="axis" x={PAD.left - 6} y={yShare(t) + 4} textAnchor="end">
            {formatRate(top * t)}
          </text>
          <text className="axis fail" x={PAD.left + innerW + 6} y={yShare(t) + 4}>
            {Math.round(t * 100)}%
          </text>
        </g>
      ))}
      {timeTicks.map((t) => (
        <text key={t.label} className="axis" x={t.x} y={H - 6} textAnchor="middle">
          {t.label}
        </text>
      ))}
      {area && <path className="rate-area" d={area} />}
      {line.length > 0 && <path className="rate-line" d={`M${line.join(" L")}`} />}
      {failureSegments.map((seg) =>
        seg.length === 1 ? (
          <circle key={`${seg[0]?.x}`} className="fail-dot" cx={seg[0]?.x} cy={seg[0]?.y} r={3} />
        ) : (
          <path
            key={`${seg[0]?.x}`}
            className="fail-line"
            d={`M${seg.map((q) => `${q.x.toFixed(1)},${q.y.toFixed(1)}`).join(" L")}`}
          />
        ),
      )}
    </svg>
  );
}
