// The audit log: who changed what, newest first, narrowed by actor (a key id, `system`, …),
// action (`endpoint.updated`) or subject (an endpoint, source or key id). Each entry's
// details are what the change set (secrets and header values never are).
import { type FormEvent, useState } from "react";
import type { AuditEntry, Page } from "../api/types.ts";
import { ErrorLine, Pager, usePager } from "../components/bits.tsx";
import { formatTime } from "../components/format.ts";
import { useLoad } from "../components/use-load.ts";
import { useSession } from "../session.tsx";

const PAGE = 50;
const EMPTY = { actor: "", action: "", subject: "" };

export function AuditPage({ subject }: { subject?: string }) {
  const { api, epoch } = useSession();
  const [filter, setFilter] = useState({ ...EMPTY, subject: subject ?? "" });
  const [draft, setDraft] = useState(filter);
  const pager = usePager(JSON.stringify(filter));
  const list = useLoad(
    () => api.get<Page<AuditEntry>>("/audit", { ...filter, limit: PAGE, cursor: pager.cursor }),
    [api, epoch, JSON.stringify(filter), pager.cursor],
  );
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter({
      actor: draft.actor.trim(),
      action: draft.action.trim(),
      subject: draft.subject.trim(),
    });
  };
  const field = (name: keyof typeof EMPTY, label: string, placeholder: string) => (
    <input
      aria-label={label}
      placeholder={placeholder}
      value={draft[name]}
      onChange={(e) => setDraft({ ...draft, [name]: e.target.value })}
    />
  );
  const rows = list.data?.data ?? [];
  const filtered = filter.actor || filter.action || filter.subject;
  return (
    <section>
      <div className="page-head">
        <h1>Audit log</h1>
        <button type="button" className="secondary" onClick={list.reload}>
          Refresh
        </button>
      </div>
      <form className="filters" onSubmit={apply}>
        {field("actor", "Actor", "Actor (key id, system)")}
        {field("action", "Action", "Action (endpoint.updated)")}
        {field("subject", "Subject", "Subject (ep_…, src_…)")}
        <button type="submit">Filter</button>
        {filtered && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft(EMPTY);
              setFilter(EMPTY);
            }}
          >
            Clear
          </button>
        )}
      </form>
      <ErrorLine error={list.error} />
      <table className="rows" data-testid="audit">
        <thead>
          <tr>
            <th>When</th>
            <th>Actor</th>
            <th>Action</th>
            <th>Subject</th>
            <th>Tenant</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <tr key={a.id} data-testid="audit-entry">
              <td>{formatTime(a.at)}</td>
              <td className="mono wrap">
                <button
                  type="button"
                  className="link"
                  title="Only this actor"
                  onClick={() => {
                    const next = { ...filter, actor: a.actor };
                    setDraft(next);
                    setFilter(next);
                  }}
                >
                  {a.actor}
                </button>
              </td>
              <td className="mono">{a.action}</td>
              <td className="mono wrap">{a.subject}</td>
              <td>{a.tenant ?? <span className="muted">none</span>}</td>
              <td className="mono wrap details">{detailsText(a.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data && !rows.length && (
        <p className="empty">{filtered ? "No entry matches." : "Nothing changed yet."}</p>
      )}
      <Pager pager={pager} next={list.data?.next_cursor} />
    </section>
  );
}

function detailsText(details: unknown): string {
  if (details === null || details === undefined) return "";
  if (typeof details !== "object") return String(details);
  return Object.entries(details as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join("; ");
}
