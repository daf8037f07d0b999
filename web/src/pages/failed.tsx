// The dead-letter view: failed deliveries, newest first, by endpoint if asked. Retry picks
// deliveries one by one; recover re-queues all of an endpoint's failures since a time. Live:
// a delivery that fails is added, one that leaves `failed` (retried) is removed.
import { useEffect, useRef, useState } from "react";
import { errorMessage } from "../api/client.ts";
import type { Delivery, Endpoint, Page } from "../api/types.ts";
import { ErrorLine, Notice } from "../components/bits.tsx";
import { formatTime } from "../components/format.ts";
import { useCoalesced } from "../components/use-coalesced.ts";
import { useLoad } from "../components/use-load.ts";
import { eventHref } from "../router.ts";
import { lagged, useSession, useStream } from "../session.tsx";
import { RecoverForm } from "./endpoint-row.tsx";

const PAGE = 100;
const CAP = 500;
/** Retries sent at once when retrying a selection. */
const PARALLEL = 4;

export function FailedPage() {
  const { api, epoch } = useSession();
  const [endpointId, setEndpointId] = useState("");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const [endpointDraft, setEndpointDraft] = useState("");
  const list = useLoad(
    () =>
      api.get<Page<Delivery>>("/deliveries", {
        status: "failed",
        endpoint_id: endpointId,
        limit: PAGE,
      }),
    [api, endpointId, epoch],
  );

  const changes = useRef(new Map<string, Delivery>());
  const apply = useCoalesced(() => {
    const batch = [...changes.current.values()];
    changes.current.clear();
    list.setData((old) => {
      if (!old) return old;
      const gone = new Set(batch.filter((d) => d.status !== "failed").map((d) => d.id));
      const kept = old.data.filter((d) => !gone.has(d.id));
      const known = new Set(kept.map((d) => d.id));
      const added = batch
        .filter((d) => d.status === "failed" && !known.has(d.id))
        .filter((d) => !endpointId || d.endpoint_id === endpointId)
        .reverse();
      return { ...old, data: [...added, ...kept].slice(0, CAP) };
    });
  }, 300);
  useStream("delivery", (data) => {
    const d = data as Delivery;
    if (typeof d?.id !== "string" || typeof d.status !== "string") return;
    changes.current.set(d.id, d);
    apply();
  });
  useStream("lag", (data) => {
    if (lagged(data, "delivery")) list.reload();
  });

  const loadMore = async () => {
    const cursor = list.data?.next_cursor;
    if (!cursor) return;
    try {
      const page = await api.get<Page<Delivery>>("/deliveries", {
        status: "failed",
        endpoint_id: endpointId,
        limit: PAGE,
        cursor,
      });
      list.setData((old) => ({
        data: [...(old?.data ?? []), ...page.data].slice(-CAP),
        next_cursor: page.next_cursor,
      }));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const retrySelected = async () => {
    const ids = [...selected];
    setBusy(true);
    setError(null);
    setNotice(null);
    const failures: string[] = [];
    let next = 0;
    const lane = async () => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        try {
          await api.post(`/deliveries/${encodeURIComponent(id)}/retry`);
        } catch (err) {
          failures.push(`${id}: ${errorMessage(err)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, ids.length) }, lane));
    const done = ids.length - failures.length;
    setNotice(`Queued ${done} of ${ids.length} deliveries again.`);
    if (failures.length) setError(failures.join("; "));
    setSelected(new Set());
    setBusy(false);
    list.reload();
  };

  const recover = async (since: string) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ recovered: number }>(
        `/endpoints/${encodeURIComponent(endpointId)}/recover`,
        { since },
      );
      setNotice(`Recovered ${r.recovered} failed deliveries of ${endpointId}.`);
      list.reload();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const rows = list.data?.data ?? [];
  const byId = useEndpoints(rows.map((d) => d.endpoint_id));
  const allSelected = rows.length > 0 && rows.every((d) => selected.has(d.id));
  const toggle = (id: string) => {
    const s = new Set(selected);
    if (s.has(id)) s.delete(id);
    else s.add(id);
    setSelected(s);
  };

  return (
    <section>
      <div className="page-head">
        <h1>Failed deliveries</h1>
        <button type="button" onClick={retrySelected} disabled={busy || selected.size === 0}>
          Retry selected ({selected.size})
        </button>
      </div>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setEndpointId(endpointDraft.trim());
          setSelected(new Set());
        }}
      >
        <input
          aria-label="Endpoint id"
          placeholder="Endpoint id (ep_…): all endpoints when empty"
          className="wide"
          value={endpointDraft}
          onChange={(e) => setEndpointDraft(e.target.value)}
        />
        <button type="submit">Filter</button>
      </form>
      {endpointId && <RecoverForm busy={busy} onRecover={recover} />}
      <Notice text={notice} />
      <ErrorLine error={error ?? list.error} />
      <table className="rows" data-testid="failed">
        <thead>
          <tr>
            <th>
              <input
                type="checkbox"
                aria-label="Select all"
                checked={allSelected}
                onChange={() =>
                  setSelected(allSelected ? new Set() : new Set(rows.map((d) => d.id)))
                }
              />
            </th>
            <th>Failed</th>
            <th>Event</th>
            <th>Endpoint</th>
            <th>Attempts</th>
            <th>Last error</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => {
            const ep = byId.get(d.endpoint_id);
            return (
              <tr key={d.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${d.id}`}
                    checked={selected.has(d.id)}
                    onChange={() => toggle(d.id)}
                  />
                </td>
                <td>{formatTime(d.updated_at)}</td>
                <td>
                  <a href={eventHref(d.event_id, ep?.tenant)}>{d.event_id}</a>
                </td>
                <td className="mono">{ep?.url ?? d.endpoint_id}</td>
                <td>{d.attempt_count}</td>
                <td>{d.last_error ?? d.last_status_code ?? ""}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {list.data && !rows.length && <p className="empty">No failed deliveries.</p>}
      {list.data?.next_cursor && (
        <button type="button" className="secondary more" onClick={loadMore}>
          Load more
        </button>
      )}
    </section>
  );
}

/**
 * The endpoints the rows name, each read once (GET /v1/endpoints/:id): a page of failures
 * names a few, whatever the number of endpoints.
 */
function useEndpoints(ids: string[]): Map<string, Endpoint> {
  const { api } = useSession();
  const [known, setKnown] = useState(() => new Map<string, Endpoint>());
  const asked = useRef(new Set<string>());
  const wanted = [...new Set(ids)].filter((id) => !asked.current.has(id));
  // biome-ignore lint/correctness/useExhaustiveDependencies: the ids not asked yet decide
  useEffect(() => {
    for (const id of wanted) {
      asked.current.add(id);
      api.get<Endpoint>(`/endpoints/${encodeURIComponent(id)}`).then(
        (ep) => setKnown((old) => new Map(old).set(id, ep)),
        () => undefined, // deleted or unreadable: the row shows the id
      );
    }
  }, [api, wanted.join()]);
  return known;
}
