// Endpoints: a paged table (search by URL, id, tenant or description; narrowed by health;
// sorted by a column), the form to create one (its secret is shown once, here), and each
// endpoint's card with its health and actions, opened from its row. Stream `endpoint` messages
// keep the rows shown current. Every page is one API page, so 10,000 endpoints cost the
// browser what 50 do.
import { type FormEvent, useState } from "react";
import { errorMessage } from "../api/client.ts";
import { type CreatedEndpoint, type Endpoint, type Page, prepended } from "../api/types.ts";
import { ErrorLine, Pager, SecretBox, StatusBadge, usePager } from "../components/bits.tsx";
import { formatTime } from "../components/format.ts";
import { useLoad } from "../components/use-load.ts";
import { lagged, useSession, useStream } from "../session.tsx";
import { EndpointRow, TypePicker } from "./endpoint-row.tsx";

const PAGE = 50;
const HEALTH = [
  ["", "Any health"],
  ["healthy", "Healthy"],
  ["failing", "Failing"],
  ["circuit_open", "Circuit open"],
  ["disabled", "Disabled"],
] as const;
type Sort = "created" | "url" | "tenant" | "failures";

function replaceIn(page: Page<Endpoint>, endpoint: Endpoint): Page<Endpoint> {
  return { ...page, data: page.data.map((e) => (e.id === endpoint.id ? endpoint : e)) };
}

export function EndpointsPage() {
  const { api, epoch, mode } = useSession();
  const [created, setCreated] = useState<CreatedEndpoint | null>(null);
  const [showForm, setShowForm] = useState(false);
  const [draft, setDraft] = useState({ search: "", health: "" });
  const [filter, setFilter] = useState({ search: "", health: "", sort: "created" as Sort });
  const [open, setOpen] = useState<string | null>(null);
  const pager = usePager(JSON.stringify(filter));

  const query = {
    limit: PAGE,
    search: filter.search,
    health: filter.health,
    sort: filter.sort === "created" ? "" : filter.sort,
    cursor: pager.cursor,
  };
  const list = useLoad(
    () => api.get<Page<Endpoint>>("/endpoints", query),
    [api, epoch, JSON.stringify(query)],
  );
  const replace = (endpoint: Endpoint) => list.setData((old) => old && replaceIn(old, endpoint));
  const unfiltered = !filter.search && !filter.health && filter.sort === "created";

  // Endpoints changed anywhere (this tab, another, the API): updated in place, deleted ones
  // removed; new ones on top of the first page of the plain list (elsewhere they would not
  // be where the order puts them).
  useStream("endpoint", (data) => {
    const change = data as Endpoint & { deleted?: boolean };
    if (typeof change?.id !== "string" || typeof change.url !== "string") return;
    const { deleted, ...endpoint } = change;
    list.setData((old) => {
      if (!old) return old;
      if (deleted) return { ...old, data: old.data.filter((e) => e.id !== endpoint.id) };
      if (old.data.some((e) => e.id === endpoint.id)) return replaceIn(old, endpoint);
      if (pager.page !== 1 || !unfiltered) return old;
      return { ...old, data: [endpoint, ...old.data].slice(0, PAGE) };
    });
  });
  useStream("lag", (data) => {
    if (lagged(data, "endpoint")) list.reload();
  });

  const search = (e: FormEvent) => {
    e.preventDefault();
    setFilter({ ...filter, search: draft.search.trim(), health: draft.health });
  };
  const sortBy = (sort: Sort) => setFilter({ ...filter, sort });
  const header = (sort: Sort, label: string) => (
    <th
      aria-sort={
        filter.sort === sort
          ? sort === "url" || sort === "tenant"
            ? "ascending"
            : "descending"
          : undefined
      }
    >
      <button type="button" className="link" onClick={() => sortBy(sort)}>
        {label}
        {filter.sort === sort ? (sort === "url" || sort === "tenant" ? " ↑" : " ↓") : ""}
      </button>
    </th>
  );
  const rows = list.data?.data ?? [];

  return (
    <section>
      <div className="page-head">
        <h1>Endpoints</h1>
        {!mode.readOnly && (
          <button type="button" onClick={() => setShowForm(!showForm)}>
            {showForm ? "Cancel" : "New endpoint"}
          </button>
        )}
      </div>
      {showForm && (
        <CreateForm
          onCreated={(made) => {
            setCreated(made);
            setShowForm(false);
            const { secret: _, ...ep } = made;
            setOpen(ep.id);
            list.setData((old) => prepended(old, ep, PAGE));
          }}
        />
      )}
      {created && (
        <SecretBox
          title={`Endpoint ${created.id} created`}
          secret={created.secret}
          onDone={() => setCreated(null)}
        />
      )}
      <form className="filters" onSubmit={search}>
        <input
          aria-label="Search endpoints"
          placeholder="URL, id, tenant or description"
          value={draft.search}
          onChange={(e) => setDraft({ ...draft, search: e.target.value })}
        />
        <select
          aria-label="Health"
          value={draft.health}
          onChange={(e) => setDraft({ ...draft, health: e.target.value })}
        >
          {HEALTH.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <button type="submit">Search</button>
        {(filter.search || filter.health) && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft({ search: "", health: "" });
              setFilter({ ...filter, search: "", health: "" });
            }}
          >
            Clear
          </button>
        )}
      </form>
      <ErrorLine error={list.error} />
      <table className="rows endpoints" data-testid="endpoints">
        <thead>
          <tr>
            <th>State</th>
            {header("url", "URL")}
            {header("tenant", "Tenant")}
            {header("failures", "Circuit")}
            {header("created", "Created")}
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((ep) => (
            <EndpointLine
              key={ep.id}
              endpoint={ep}
              open={open === ep.id}
              onToggle={() => setOpen(open === ep.id ? null : ep.id)}
              onChange={replace}
              onDelete={(id) =>
                list.setData((old) => old && { ...old, data: old.data.filter((e) => e.id !== id) })
              }
            />
          ))}
        </tbody>
      </table>
      {list.data && !rows.length && (
        <p className="empty">
          {unfiltered && pager.page === 1
            ? "No endpoints yet. Create one to start receiving events."
            : "No endpoint matches."}
        </p>
      )}
      <Pager pager={pager} next={list.data?.next_cursor} />
    </section>
  );
}

function EndpointLine(props: {
  endpoint: Endpoint;
  open: boolean;
  onToggle(): void;
  onChange(endpoint: Endpoint): void;
  onDelete(id: string): void;
}) {
  const ep = props.endpoint;
  return (
    <>
      <tr data-testid="endpoint-row" data-id={ep.id}>
        <td>
          <StatusBadge status={ep.enabled ? "enabled" : "disabled"} />
        </td>
        <td className="mono wrap">{ep.url}</td>
        <td>{ep.tenant ?? <span className="muted">none</span>}</td>
        <td>
          <StatusBadge status={`circuit_${ep.circuit.state}`} />
          {ep.circuit.consecutive_failures > 0 && (
            <small className="muted"> {ep.circuit.consecutive_failures} failed</small>
          )}
        </td>
        <td>{formatTime(ep.created_at)}</td>
        <td>
          <button
            type="button"
            className="secondary"
            aria-expanded={props.open}
            onClick={props.onToggle}
          >
            {props.open ? "Close" : "Open"}
          </button>
        </td>
      </tr>
      {props.open && (
        <tr className="detail">
          <td colSpan={6}>
            <EndpointRow endpoint={ep} onChange={props.onChange} onDelete={props.onDelete} />
          </td>
        </tr>
      )}
    </>
  );
}

function CreateForm({ onCreated }: { onCreated(endpoint: CreatedEndpoint): void }) {
  const { api, mode } = useSession();
  const [form, setForm] = useState({ url: "", tenant: "", description: "" });
  const [types, setTypes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { url: form.url.trim() };
      if (form.tenant.trim()) body.tenant = form.tenant.trim();
      if (form.description.trim()) body.description = form.description.trim();
      if (types) body.event_types = types;
      onCreated(await api.post<CreatedEndpoint>("/endpoints", body));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const field = (name: keyof typeof form, label: string, placeholder: string, required = false) => (
    <label>
      {label}
      <input
        name={name}
        required={required}
        placeholder={placeholder}
        value={form[name]}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      />
    </label>
  );
  return (
    <form className="card form-grid" onSubmit={submit} data-testid="create-endpoint">
      {field("url", "URL", "https://merchant.example/webhooks", true)}
      {!mode.tenant && field("tenant", "Tenant", "optional, e.g. merchant-42")}
      {field("description", "Description", "optional")}
      <TypePicker value={types} onChange={setTypes} />
      <div>
        <button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create endpoint"}
        </button>
      </div>
      <ErrorLine error={error} />
    </form>
  );
}
