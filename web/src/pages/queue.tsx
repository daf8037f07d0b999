// The queue: deliveries not finished yet, pending or in flight, each with why it waits (its
// next attempt's time, its endpoint's circuit or switch, or only a free worker). Refreshed
// from the stream's `delivery` messages, at most every two seconds, while on the first page.
import { type FormEvent, useState } from "react";
import type { ListedDelivery, Page } from "../api/types.ts";
import { ErrorLine, Pager, usePager } from "../components/bits.tsx";
import { formatTime } from "../components/format.ts";
import { useCoalesced } from "../components/use-coalesced.ts";
import { useLoad } from "../components/use-load.ts";
import { eventHref } from "../router.ts";
import { useSession, useStream } from "../session.tsx";

const PAGE = 50;

export function waitingText(w: ListedDelivery["waiting"]): string {
  if (!w) return "";
  const until = w.until ? formatTime(w.until) : "";
  switch (w.reason) {
    case "due":
      return "Due: waiting for a worker or the endpoint's limits";
    case "scheduled":
      return `Scheduled for ${until}`;
    case "retry_scheduled":
      return `Retry at ${until}`;
    case "circuit_open":
      return `Circuit open: next probe ${until}`;
    case "circuit_half_open":
      return "Circuit half-open: one probe goes first";
    case "endpoint_disabled":
      return "Endpoint disabled: waits until it is enabled";
    case "in_flight":
      return "Being sent";
  }
}

export function QueuePage() {
  const { api, epoch } = useSession();
  const [status, setStatus] = useState<"pending" | "in_flight">("pending");
  const [endpointDraft, setEndpointDraft] = useState("");
  const [endpointId, setEndpointId] = useState("");
  const pager = usePager(`${status}/${endpointId}`);
  const list = useLoad(
    () =>
      api.get<Page<ListedDelivery>>("/deliveries", {
        status,
        endpoint_id: endpointId,
        limit: PAGE,
        cursor: pager.cursor,
      }),
    [api, epoch, status, endpointId, pager.cursor],
  );
  const refresh = useCoalesced(() => list.reload(), 2_000);
  useStream("delivery", () => {
    if (pager.page === 1) refresh();
  });

  const filter = (e: FormEvent) => {
    e.preventDefault();
    setEndpointId(endpointDraft.trim());
  };
  const rows = list.data?.data ?? [];
  return (
    <section>
      <div className="page-head">
        <h1>Queue</h1>
        <button type="button" className="secondary" onClick={list.reload}>
          Refresh
        </button>
      </div>
      <form className="filters" onSubmit={filter}>
        <select
          aria-label="Status"
          value={status}
          onChange={(e) => setStatus(e.target.value as typeof status)}
        >
          <option value="pending">Pending</option>
          <option value="in_flight">In flight</option>
        </select>
        <input
          aria-label="Endpoint id"
          placeholder="Endpoint id (ep_…)"
          value={endpointDraft}
          onChange={(e) => setEndpointDraft(e.target.value)}
        />
        <button type="submit">Filter</button>
      </form>
      <ErrorLine error={list.error} />
      <table className="rows" data-testid="queue">
        <thead>
          <tr>
            <th>Created</th>
            <th>Event</th>
            <th>Endpoint</th>
            <th>Attempts</th>
            <th>Why it waits</th>
            <th>Last error</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id} data-testid="queued" data-id={d.id}>
              <td>{formatTime(d.created_at)}</td>
              <td className="mono wrap">
                <a href={eventHref(d.event_id)}>{d.event_id}</a>
              </td>
              <td className="mono wrap">{d.endpoint_id}</td>
              <td>{d.attempt_count}</td>
              <td data-testid="waiting" data-reason={d.waiting?.reason}>
                {waitingText(d.waiting)}
              </td>
              <td className="wrap">{d.last_error ?? d.last_status_code ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data && !rows.length && (
        <p className="empty">
          {status === "pending" ? "Nothing waits to be sent." : "Nothing is being sent."}
        </p>
      )}
      <Pager pager={pager} next={list.data?.next_cursor} />
    </section>
  );
}
