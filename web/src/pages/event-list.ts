// The events list as the browser holds it: never more than CAP rows, however long the page
// stays open or however far the operator pages back.
//
// Rows come from two places: pages fetched with a cursor (newest first) and events pushed by
// the stream, kept above them. Each fetched page remembers the cursor that fetched it, so when
// live events push the list over the cap, whole pages are dropped from the bottom and "load
// more" resumes exactly where the kept rows end. The first page (fetched without a cursor)
// is never dropped that way; once only it is left, the list asks for a fresh first page
// (`resync`). Paging back past the cap drops rows from the top instead: the list is then a
// window on older events and stops taking live rows (it counts them) until the operator goes
// back to the newest.
import type { EventSummary } from "../api/types.ts";

export const CAP = 500;

interface FetchedPage {
  rows: EventSummary[];
  /** The cursor this page was fetched with (undefined: the first page). */
  cursor: string | undefined;
  /** The cursor of the page after it (null: no more). */
  next: string | null;
}

export interface EventList {
  live: EventSummary[];
  pages: FetchedPage[];
  /** Rows were dropped from the top: live events are counted, not shown. */
  windowed: boolean;
  /** Live events that arrived while windowed. */
  missed: number;
  /** The list lost its bottom cursor: fetch the first page again. */
  resync: boolean;
  /** Keys of the live rows that arrived since the list was loaded (for a highlight). */
  fresh: Set<string>;
}

export const rowKey = (e: EventSummary) => `${e.tenant ?? ""}\u0000${e.id}`;

export function firstPage(data: EventSummary[], next: string | null): EventList {
  return {
    live: [],
    pages: [{ rows: data, cursor: undefined, next }],
    windowed: false,
    missed: 0,
    resync: false,
    fresh: new Set(),
  };
}

export function rows(list: EventList): EventSummary[] {
  return [...list.live, ...list.pages.flatMap((p) => p.rows)];
}

export function nextCursor(list: EventList): string | null {
  return list.pages.at(-1)?.next ?? null;
}

const count = (list: EventList) =>
  list.live.length + list.pages.reduce((n, p) => n + p.rows.length, 0);

/** Adds events from the stream (newest last in `incoming`) above the list. */
export function addLive(list: EventList, incoming: EventSummary[]): EventList {
  if (list.windowed) return { ...list, missed: list.missed + incoming.length };
  const seen = new Set(rows(list).map(rowKey));
  const added: EventSummary[] = [];
  for (const e of incoming) {
    const key = rowKey(e);
    if (seen.has(key)) continue;
    seen.add(key);
    added.unshift(e);
  }
  if (!added.length) return list;
  const fresh = new Set(list.fresh);
  for (const e of added) fresh.add(rowKey(e));
  const next: EventList = {
    ...list,
    live: [...added, ...list.live],
    pages: [...list.pages],
    fresh,
  };
  while (count(next) > CAP && next.pages.length > 1) {
    const dropped = next.pages.pop() as FetchedPage;
    const tail = next.pages.at(-1) as FetchedPage;
    next.pages[next.pages.length - 1] = { ...tail, next: dropped.cursor ?? null };
  }
  if (count(next) > CAP) {
    next.live = next.live.slice(0, CAP);
    next.pages = [];
    next.resync = true;
  }
  return next;
}

/** Appends an older page fetched with `cursor`; trims the top past the cap. */
export function addPage(
  list: EventList,
  cursor: string,
  data: EventSummary[],
  next: string | null,
): EventList {
  const result: EventList = {
    ...list,
    live: [...list.live],
    pages: [...list.pages, { rows: data, cursor, next }],
  };
  let over = count(result) - CAP;
  if (over > 0) {
    result.windowed = true;
    const cut = Math.min(over, result.live.length);
    result.live = result.live.slice(cut);
    over -= cut;
    while (over > 0 && result.pages.length > 1) {
      const first = result.pages[0] as FetchedPage;
      if (first.rows.length <= over) {
        result.pages.shift();
        over -= first.rows.length;
      } else {
        result.pages[0] = { ...first, rows: first.rows.slice(over) };
        over = 0;
      }
    }
  }
  return result;
}

/** True if a live event belongs in a list filtered by tenant and type. */
export function matches(e: EventSummary, filter: { tenant: string; type: string }): boolean {
  return (!filter.tenant || e.tenant === filter.tenant) && (!filter.type || e.type === filter.type);
}

/**
 * The events search box: `payload.customer_id = cust_001` looks for a payload field, anything
 * else is an id prefix. The API's query parameters, or null for an empty box.
 */
export function parseSearch(
  text: string,
): { id_prefix: string } | { payload_path: string; payload_value: string } | null {
  const t = text.trim();
  if (!t) return null;
  const field = /^payload\.([^=\s][^=]*?)\s*=\s*(.*)$/.exec(t);
  if (field) {
    const value = (field[2] as string).trim().replace(/^"(.*)"$/, "$1");
    return { payload_path: (field[1] as string).trim(), payload_value: value };
  }
  return { id_prefix: t };
}

/** Where an event's deliveries stand, for a row: what the list said, or, live, a guess. */
export function rowStatus(e: EventSummary): { status: string; count: number | null } {
  if (e.status !== undefined) return { status: e.status, count: e.delivery_count ?? null };
  if (e.deliveries !== undefined) {
    return { status: e.deliveries ? "pending" : "none", count: e.deliveries };
  }
  return { status: "pending", count: null };
}
