// Events, newest first, live: the stream's `event` messages are added on top (a few times a
// second at most, however fast they come). Filters are the API's own (tenant, type, status:
// events with a delivery in that status, which live events are not added to); paging
// is the API's cursor; the list in memory is capped (event-list.ts).
import { type FormEvent, useEffect, useRef, useState } from "react";
import { errorMessage } from "../api/client.ts";
import type { EventSummary, Page } from "../api/types.ts";
import { ErrorLine } from "../components/bits.tsx";
import { formatTime } from "../components/format.ts";
import { useCoalesced } from "../components/use-coalesced.ts";
import { useLoad } from "../components/use-load.ts";
import { eventHref } from "../router.ts";
import { lagged, useSession, useStream } from "../session.tsx";
import {
  addLive,
  addPage,
  type EventList,
  firstPage,
  matches,
  nextCursor,
  rowKey,
  rows,
} from "./event-list.ts";

const PAGE = 50;
const STATUSES = ["pending", "in_flight", "succeeded", "failed", "cancelled"] as const;

export function EventsPage() {
  const { api, epoch, mode } = useSession();
  const [filter, setFilter] = useState({ tenant: "", type: "", status: "" });
  const [draft, setDraft] = useState(filter);
  const [searchId, setSearchId] = useState("");
  const [moreError, setMoreError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const list = useLoad<EventList>(async () => {
    const page = await api.get<Page<EventSummary>>("/events", { ...filter, limit: PAGE });
    return firstPage(page.data, page.next_cursor);
  }, [api, filter, epoch]);

  const pending = useRef<EventSummary[]>([]);
  const flush = useCoalesced(() => {
    const incoming = pending.current;
    pending.current = [];
    list.setData((old) => (old ? addLive(old, incoming) : old));
  }, 250);
  useStream("event", (data) => {
    const e = data as EventSummary;
    // A delivery's status changes after the event arrives: a status-filtered list is refetched.
    if (typeof e?.id !== "string" || filter.status || !matches(e, filter)) return;
    pending.current.push(e);
    flush();
  });
  useStream("lag", (data) => {
    if (lagged(data, "event")) list.reload();
  });

  const resync = list.data?.resync && !list.loading;
  useEffect(() => {
    if (resync) list.reload();
  }, [resync, list.reload]);

  const loadMore = async () => {
    const cursor = list.data && nextCursor(list.data);
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await api.get<Page<EventSummary>>("/events", { ...filter, limit: PAGE, cursor });
      list.setData((old) => (old ? addPage(old, cursor, page.data, page.next_cursor) : old));
    } catch (err) {
      setMoreError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  };

  const applyFilter = (e: FormEvent) => {
    e.preventDefault();
    setFilter({ tenant: draft.tenant.trim(), type: draft.type.trim(), status: draft.status });
  };
  const search = (e: FormEvent) => {
    e.preventDefault();
    const id = searchId.trim();
    if (id) window.location.hash = eventHref(id, filter.tenant || undefined);
  };

  const data = list.data;
  const shown = data ? rows(data) : [];
  return (
    <section>
      <div className="page-head">
        <h1>Events</h1>
        <form className="inline" onSubmit={search}>
          <input
            aria-label="Event id"
            placeholder="Find by event id"
            value={searchId}
            onChange={(e) => setSearchId(e.target.value)}
          />
          <button type="submit">Open</button>
        </form>
      </div>
      <form className="filters" onSubmit={applyFilter}>
        {!mode.tenant && (
          <input
            aria-label="Tenant"
            placeholder="Tenant"
            value={draft.tenant}
            onChange={(e) => setDraft({ ...draft, tenant: e.target.value })}
          />
        )}
        <input
          aria-label="Type"
          placeholder="Type (payment.succeeded)"
          value={draft.type}
          onChange={(e) => setDraft({ ...draft, type: e.target.value })}
        />
        <select
          aria-label="Status"
          value={draft.status}
          onChange={(e) => setDraft({ ...draft, status: e.target.value })}
        >
          <option value="">Any status</option>
          {STATUSES.map((st) => (
            <option key={st} value={st}>
              {st.replace("_", " ")}
            </option>
          ))}
        </select>
        <button type="submit">Filter</button>
        {(filter.tenant || filter.type || filter.status) && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft({ tenant: "", type: "", status: "" });
              setFilter({ tenant: "", type: "", status: "" });
            }}
          >
            Clear
          </button>
        )}
      </form>
      <ErrorLine error={list.error} />
      {data?.windowed && (
        <p className="notice">
          Showing older events{data.missed ? `; ${data.missed} newer arrived since` : ""}.{" "}
          <button type="button" className="link" onClick={list.reload}>
            Back to newest
          </button>
        </p>
      )}
      <table className="rows" data-testid="events">
        <thead>
          <tr>
            <th>Received</th>
            <th>Event id</th>
            <th>Type</th>
            <th>Tenant</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((e) => (
            <tr key={rowKey(e)} className={data?.fresh.has(rowKey(e)) ? "fresh" : undefined}>
              <td>{formatTime(e.created_at)}</td>
              <td>
                <a href={eventHref(e.id, e.tenant)}>{e.id}</a>
              </td>
              <td>{e.type}</td>
              <td>{e.tenant ?? <span className="muted">none</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && !shown.length && <p className="empty">No events yet.</p>}
      <ErrorLine error={moreError} />
      {data && nextCursor(data) && (
        <button type="button" className="secondary more" onClick={loadMore} disabled={loadingMore}>
          {loadingMore ? "Loading…" : "Load more"}
        </button>
      )}
    </section>
  );
}
