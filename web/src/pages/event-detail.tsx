// One event: its payload, and each delivery with its endpoint and every attempt. Stream
// `delivery` messages about this event refetch it (coalesced), so a retry is seen as it runs.
import { useRef, useState } from "react";
import { type Api, ApiError, errorMessage } from "../api/client.ts";
import type { DeliveryDetail, Endpoint, HeraldEvent } from "../api/types.ts";
import { ConfirmButton, ErrorLine, Notice, StatusBadge } from "../components/bits.tsx";
import { formatDuration, formatTime } from "../components/format.ts";
import { useCoalesced } from "../components/use-coalesced.ts";
import { useLoad } from "../components/use-load.ts";
import { lagged, useSession, useStream } from "../session.tsx";

/** Deliveries shown with their attempts; an event fanned out wider lists the rest briefly. */
const DETAILED = 50;
const RETRYABLE = new Set(["succeeded", "failed", "cancelled"]);

interface Detail {
  event: HeraldEvent;
  deliveries: DeliveryDetail[];
}

async function loadEndpoints(api: Api, ids: string[], cache: Map<string, Endpoint | null>) {
  await Promise.all(
    ids
      .filter((id) => !cache.has(id))
      .map(async (id) => {
        try {
          cache.set(id, await api.get<Endpoint>(`/endpoints/${encodeURIComponent(id)}`));
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) cache.set(id, null);
          else throw err;
        }
      }),
  );
}

export function EventDetailPage({ id, tenant }: { id: string; tenant?: string }) {
  const { api, epoch } = useSession();
  const endpoints = useRef(new Map<string, Endpoint | null>());
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const detail = useLoad<Detail>(async () => {
    const event = await api.get<HeraldEvent>(`/events/${encodeURIComponent(id)}`, { tenant });
    const shown = event.deliveries.slice(0, DETAILED);
    const [deliveries] = await Promise.all([
      Promise.all(
        shown.map((d) => api.get<DeliveryDetail>(`/deliveries/${encodeURIComponent(d.id)}`)),
      ),
      loadEndpoints(api, [...new Set(shown.map((d) => d.endpoint_id))], endpoints.current),
    ]);
    return { event, deliveries };
  }, [api, id, tenant, epoch]);

  const refresh = useCoalesced(detail.reload, 300);
  useStream("delivery", (data) => {
    const d = data as { id?: string; event_id?: string };
    if (d?.event_id === id || detail.data?.event.deliveries.some((x) => x.id === d?.id)) refresh();
  });
  useStream("lag", (data) => {
    if (lagged(data, "delivery")) refresh();
  });

  const act = async (label: string, run: () => Promise<string>) => {
    setBusy(label);
    setActionError(null);
    setNotice(null);
    try {
      setNotice(await run());
      detail.reload();
    } catch (err) {
      setActionError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  const replay = () =>
    act("replay", async () => {
      const r = await api.post<{ deliveries: number }>(
        `/events/${encodeURIComponent(id)}/replay`,
        undefined,
        { tenant: detail.data?.event.tenant ?? tenant },
      );
      return `Replay queued ${r.deliveries} ${r.deliveries === 1 ? "delivery" : "deliveries"}.`;
    });
  const retry = (deliveryId: string) =>
    act(deliveryId, async () => {
      await api.post(`/deliveries/${encodeURIComponent(deliveryId)}/retry`);
      return `Delivery ${deliveryId} queued again.`;
    });

  if (!detail.data) {
    return (
      <section>
        <p>
          <a href="#/events">← Events</a>
        </p>
        <h1 className="mono">{id}</h1>
        {detail.loading ? <p className="muted">Loading…</p> : <ErrorLine error={detail.error} />}
      </section>
    );
  }
  const { event, deliveries } = detail.data;
  const rest = event.deliveries.slice(DETAILED);
  return (
    <section data-testid="event-detail">
      <p>
        <a href="#/events">← Events</a>
      </p>
      <div className="page-head">
        <h1 className="mono">{event.id}</h1>
        <ConfirmButton
          label="Replay to all…"
          question={`Send this event again to every endpoint it was delivered to (${event.deliveries.length})?`}
          confirm="Replay"
          busy={busy !== null}
          onConfirm={replay}
        />
      </div>
      <dl className="facts">
        <dt>Type</dt>
        <dd>{event.type}</dd>
        <dt>Tenant</dt>
        <dd>{event.tenant ?? "none"}</dd>
        <dt>Received</dt>
        <dd>{formatTime(event.created_at)}</dd>
        {event.source && (
          <>
            <dt>Source</dt>
            <dd>{event.source}</dd>
          </>
        )}
      </dl>
      <Notice text={notice} />
      <ErrorLine error={actionError ?? detail.error} />
      <h2>Payload</h2>
      <pre className="payload" data-testid="payload">
        {JSON.stringify(event.payload, null, 2)}
      </pre>
      <h2>Deliveries ({event.deliveries.length})</h2>
      {!event.deliveries.length && <p className="empty">No endpoint subscribed to this event.</p>}
      {deliveries.map((d) => (
        <DeliveryCard
          key={d.id}
          delivery={d}
          endpoint={endpoints.current.get(d.endpoint_id)}
          busy={busy !== null}
          onRetry={() => retry(d.id)}
        />
      ))}
      {rest.length > 0 && (
        <p className="muted">
          {rest.length} more deliveries: {rest.map((d) => `${d.id} (${d.status})`).join(", ")}
        </p>
      )}
    </section>
  );
}

function DeliveryCard({
  delivery: d,
  endpoint,
  busy,
  onRetry,
}: {
  delivery: DeliveryDetail;
  endpoint: Endpoint | null | undefined;
  busy: boolean;
  onRetry(): void;
}) {
  return (
    <article className="delivery" data-testid="delivery" data-status={d.status}>
      <header>
        <StatusBadge status={d.status} />
        <span className="mono">{endpoint ? endpoint.url : d.endpoint_id}</span>
        <span className="muted mono">{d.id}</span>
        <span className="grow" />
        {d.next_attempt_at && (
          <span className="muted">next try {formatTime(d.next_attempt_at)}</span>
        )}
        <button type="button" onClick={onRetry} disabled={busy || !RETRYABLE.has(d.status)}>
          Retry
        </button>
      </header>
      {endpoint === null && <p className="muted">The endpoint was deleted.</p>}
      {endpoint && !endpoint.enabled && d.status === "pending" && (
        <p className="muted" data-testid="waiting">
          Waiting: the endpoint is disabled
          {endpoint.disabled_reason ? ` (${endpoint.disabled_reason})` : ""}. It goes out once the
          endpoint is enabled; no attempt is spent meanwhile.
        </p>
      )}
      {d.attempts.length === 0 ? (
        <p className="muted">No attempt yet.</p>
      ) : (
        <table className="rows attempts">
          <thead>
            <tr>
              <th>#</th>
              <th>Started</th>
              <th>Duration</th>
              <th>Status</th>
              <th>Error</th>
              <th>Response</th>
            </tr>
          </thead>
          <tbody>
            {d.attempts.map((a) => (
              <tr key={a.number} className={a.error_kind ? "bad" : "good"}>
                <td>{a.number}</td>
                <td>{formatTime(a.started_at, true)}</td>
                <td>{formatDuration(a.duration_ms)}</td>
                <td>{a.status_code ?? "—"}</td>
                <td>
                  {a.error_kind
                    ? `${a.error_kind}${a.error_message ? `: ${a.error_message}` : ""}`
                    : ""}
                </td>
                <td>
                  <code className="excerpt">{a.response_body ?? ""}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
