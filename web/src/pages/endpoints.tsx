// Endpoints: the list with each one's health, and the form to create one (its secret is
// shown once, here). Stream `endpoint` messages keep the list current.
import { type FormEvent, useState } from "react";
import { errorMessage } from "../api/client.ts";
import type { CreatedEndpoint, Endpoint, Page } from "../api/types.ts";
import { ErrorLine, SecretBox } from "../components/bits.tsx";
import { useLoad } from "../components/use-load.ts";
import { lagged, useSession, useStream } from "../session.tsx";
import { EndpointRow, TypePicker } from "./endpoint-row.tsx";

const PAGE = 100;
const CAP = 500;

function replaceIn(page: Page<Endpoint>, endpoint: Endpoint): Page<Endpoint> {
  return { ...page, data: page.data.map((e) => (e.id === endpoint.id ? endpoint : e)) };
}

export function EndpointsPage() {
  const { api, epoch, mode } = useSession();
  const [created, setCreated] = useState<CreatedEndpoint | null>(null);
  const [showForm, setShowForm] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);

  const list = useLoad(() => api.get<Page<Endpoint>>("/endpoints", { limit: PAGE }), [api, epoch]);

  const loadMore = async () => {
    const cursor = list.data?.next_cursor;
    if (!cursor) return;
    try {
      const page = await api.get<Page<Endpoint>>("/endpoints", { limit: PAGE, cursor });
      list.setData((old) => {
        const data = [...(old?.data ?? []), ...page.data];
        // Past the cap, keep the last CAP rows: the operator is paging towards the oldest.
        return { data: data.slice(-CAP), next_cursor: page.next_cursor };
      });
    } catch (err) {
      setMoreError(errorMessage(err));
    }
  };

  const replace = (endpoint: Endpoint) => list.setData((old) => old && replaceIn(old, endpoint));

  // Endpoints changed anywhere (this tab, another, the API): updated in place, new ones on
  // top, deleted ones removed.
  useStream("endpoint", (data) => {
    const change = data as Endpoint & { deleted?: boolean };
    if (typeof change?.id !== "string" || typeof change.url !== "string") return;
    const { deleted, ...endpoint } = change;
    list.setData((old) => {
      if (!old) return old;
      const known = old.data.some((e) => e.id === endpoint.id);
      if (deleted) return { ...old, data: old.data.filter((e) => e.id !== endpoint.id) };
      if (known) return replaceIn(old, endpoint);
      return { ...old, data: [endpoint, ...old.data].slice(0, CAP) };
    });
  });
  useStream("lag", (data) => {
    if (lagged(data, "endpoint")) list.reload();
  });

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
            list.setData((old) => ({
              data: [ep, ...(old?.data ?? []).filter((e) => e.id !== ep.id)].slice(0, CAP),
              next_cursor: old?.next_cursor ?? null,
            }));
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
      <ErrorLine error={list.error} />
      <div className="endpoint-list" data-testid="endpoints">
        {list.data?.data.map((ep) => (
          <EndpointRow
            key={ep.id}
            endpoint={ep}
            onChange={replace}
            onDelete={(id) =>
              list.setData((old) => old && { ...old, data: old.data.filter((e) => e.id !== id) })
            }
          />
        ))}
      </div>
      {list.data && !list.data.data.length && (
        <p className="empty">No endpoints yet. Create one to start receiving events.</p>
      )}
      <ErrorLine error={moreError} />
      {list.data?.next_cursor && (
        <button type="button" className="secondary more" onClick={loadMore}>
          Load more
        </button>
      )}
    </section>
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
