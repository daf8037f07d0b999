// Events, newest first, live: the stream's `event` messages are added on top (a few times a
// second at most, however fast they come). Filters are the API's own (tenant, type, status:
// events with a delivery in that status; the search box: an id prefix or a payload field),
// which live events are not added to while a status or a search narrows the list; paging
// is the API's cursor; the list in memory is capped (event-list.ts).
import { type FormEvent, useEffect, useRef, useState } from "react";
import { errorMessage } from "../api/client.ts";
import type { EventSummary, Page } from "../api/types.ts";
import { ErrorLine, StatusBadge } from "../components/bits.tsx";
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
  parseSearch,
  rowKey,
  rowStatus,
  rows,
} from "./event-list.ts";

const PAGE = 50;
const STATUSES = ["pending", "in_flight", "succeeded", "failed", "cancelled"] as const;
const NO_FILTER = { tenant: "", type: "", status: "", search: "" };

export function EventsPage() {
  const { api, epoch, mode } = useSession();
  const [filter, setFilter] = useState(NO_FILTER);
  const [draft, setDraft] = useState(filter);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const { search: searchText, ...plain } = filter;
  const query = { ...plain, ...parseSearch(searchText) };
  const list = useLoad<EventList>(async () => {
    const page = await api.get<Page<EventSummary>>("/events", { ...query, limit: PAGE });
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
    if (typeof e?.id !== "string" || filter.status || filter.search || !matches(e, filter)) {
      return;
    }
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
      const page = await api.get<Page<EventSummary>>("/events", { ...query, limit: PAGE, cursor });
      list.setData((old) => (old ? addPage(old, cursor, page.data, page.next_cursor) : old));
    } catch (err) {
      setMoreError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  };

  const applyFilter = (e: FormEvent) => {
    e.preventDefault();
    setFilter({
      tenant: draft.tenant.trim(),
      type: draft.type.trim(),
      status: draft.status,
      search: draft.search.trim(),
    });
  };

  const data = list.data;
  const shown = data ? rows(data) : [];
  const filtered = filter.tenant || filter.type || filter.status || filter.search;
  return (
    <section>
      <div className="page-head">
        <h1>Events</h1>
      </div>
      <form className="filters" onSubmit={applyFilter}>
        <input
          aria-label="Search events"
          className="wide"
          placeholder="Id prefix, or payload.customer_id = cust_001"
          value={draft.search}
          onChange={(e) => setDraft({ ...draft, search: e.target.value })}
        />
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
        <button type="submit">Search</button>
        {filtered && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft(NO_FILTER);
              setFilter(NO_FILTER);
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
      <table className="rows events" data-testid="events">
        <thead>
          <tr>
            <th>Received</th>
            <th>Event id</th>
            <th>Type</th>
            <th>Tenant</th>
            <th>Source</th>
            <th>Status</th>
            <th>Deliveries</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((e) => {
            const { status, count } = rowStatus(e);
            return (
              <tr
                key={rowKey(e)}
                data-testid="event-row"
                className={data?.fresh.has(rowKey(e)) ? "fresh" : undefined}
              >
                <td>{formatTime(e.created_at)}</td>
                <td className="mono wrap">
                  <a href={eventHref(e.id, e.tenant)}>{e.id}</a>
                </td>
                <td className="wrap">{e.type}</td>
                <td className="wrap">{e.tenant ?? <span className="muted">none</span>}</td>
                <td className="mono wrap">{e.source ?? <span className="muted">API</span>}</td>
                <td data-testid="event-status">
                  <StatusBadge status={status} />
                </td>
                <td data-testid="delivery-count">{count ?? "…"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {data && !shown.length && (
        <p className="empty">{filtered ? "No event matches." : "No events yet."}</p>
      )}
      <ErrorLine error={moreError} />
      {data && nextCursor(data) && (
        <button type="button" className="secondary more" onClick={loadMore} disabled={loadingMore}>
          {loadingMore ? "Loading…" : "Load more"}
        </button>
      )}
    </section>
  );
}
