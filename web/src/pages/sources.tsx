// Sources: providers that send webhooks to Herald. The table shows where each posts
// (`ingest_url`) and what it refused: `rejected` (bad signatures) and `conflicts` (a delivery
// id sent again with another body). A source is created here (a secret Herald made is shown
// once), its secret rotated (the old one accepted for the grace, so the provider can be
// switched over) or replaced at once, and it is deleted after a question.
import { type FormEvent, useState } from "react";
import { errorMessage } from "../api/client.ts";
import { type CreatedSource, type Page, prepended, type Source } from "../api/types.ts";
import {
  ConfirmButton,
  ErrorLine,
  Notice,
  Pager,
  SecretBox,
  usePager,
} from "../components/bits.tsx";
import { formatCount, formatTime } from "../components/format.ts";
import { useLoad } from "../components/use-load.ts";
import { useSession } from "../session.tsx";

const PAGE = 50;
const PROVIDERS: [Source["provider"], string][] = [
  ["stripe", "Stripe"],
  ["github", "GitHub"],
  ["standard-webhooks", "Standard Webhooks"],
  ["hmac", "HMAC (any header)"],
  ["none", "None (unsigned)"],
];

/** Where the provider posts: this Herald's origin and the source's path. */
const absolute = (path: string) => `${window.location.origin}${path}`;

export function SourcesPage() {
  const { api, epoch, mode } = useSession();
  const pager = usePager("");
  const [showForm, setShowForm] = useState(false);
  const [created, setCreated] = useState<CreatedSource | null>(null);
  const list = useLoad(
    () => api.get<Page<Source>>("/sources", { limit: PAGE, cursor: pager.cursor }),
    [api, epoch, pager.cursor],
  );
  const rows = list.data?.data ?? [];
  const replace = (s: Source) =>
    list.setData((old) => old && { ...old, data: old.data.map((x) => (x.id === s.id ? s : x)) });
  const remove = (id: string) =>
    list.setData((old) => old && { ...old, data: old.data.filter((x) => x.id !== id) });

  return (
    <section>
      <div className="page-head">
        <h1>Sources</h1>
        <span className="grow" />
        <button type="button" className="secondary" onClick={list.reload}>
          Refresh
        </button>
        {!mode.readOnly && (
          <button type="button" onClick={() => setShowForm(!showForm)}>
            {showForm ? "Cancel" : "New source"}
          </button>
        )}
      </div>
      {showForm && (
        <CreateSource
          onCreated={(made) => {
            setCreated(made);
            setShowForm(false);
            const { secret: _, ...source } = made;
            list.setData((old) => prepended(old, source, PAGE));
          }}
        />
      )}
      {created && (
        <div className="card" data-testid="source-created">
          <p>
            Source {created.name} created. Point the provider at{" "}
            <code data-testid="ingest-url">{absolute(created.ingest_url)}</code>
          </p>
          {created.secret ? (
            <SecretBox
              title="Its signing secret"
              secret={created.secret}
              onDone={() => setCreated(null)}
            />
          ) : (
            <button type="button" className="secondary" onClick={() => setCreated(null)}>
              Done
            </button>
          )}
        </div>
      )}
      <ErrorLine error={list.error} />
      <table className="rows" data-testid="sources">
        <thead>
          <tr>
            <th>Name</th>
            <th>Provider</th>
            <th>Tenant</th>
            <th>Ingest URL</th>
            <th>Rejected</th>
            <th>Conflicts</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <SourceLine key={s.id} source={s} onChange={replace} onDelete={remove} />
          ))}
        </tbody>
      </table>
      {list.data && !rows.length && (
        <p className="empty">
          No sources yet. A source receives a provider's webhooks and relays them to endpoints.
        </p>
      )}
      <Pager pager={pager} next={list.data?.next_cursor} />
    </section>
  );
}

function SourceLine(props: {
  source: Source;
  onChange(s: Source): void;
  onDelete(id: string): void;
}) {
  const { api, mode } = useSession();
  const s = props.source;
  const path = `/sources/${encodeURIComponent(s.id)}`;
  const [editing, setEditing] = useState(false);
  const [secret, setSecret] = useState("");
  const [keepOld, setKeepOld] = useState(true);
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await work());
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const saveSecret = (e: FormEvent) => {
    e.preventDefault();
    const given = secret.trim();
    run(async () => {
      if (!keepOld) {
        props.onChange(await api.patch<Source>(path, { secret: given }));
        setEditing(false);
        setSecret("");
        return "Secret replaced: requests signed with the old one are refused from now on.";
      }
      const made = await api.post<CreatedSource>(
        `${path}/rotate-secret`,
        given ? { secret: given } : undefined,
      );
      const { secret: fresh, ...source } = made;
      props.onChange(source);
      setEditing(false);
      setSecret("");
      if (!given && fresh) setShown(fresh);
      return made.previous_secret_expires_at
        ? `Secret rotated: the old one is still accepted until ${formatTime(made.previous_secret_expires_at)}.`
        : "Secret set.";
    });
  };
  const remove = () =>
    run(async () => {
      await api.delete(path);
      props.onDelete(s.id);
      return null;
    });

  return (
    <>
      <tr data-testid="source" data-id={s.id}>
        <td>
          {s.name}
          <br />
          <small className="muted mono">{s.id}</small>
        </td>
        <td>{s.provider}</td>
        <td>{s.tenant ?? <span className="muted">none</span>}</td>
        <td className="mono wrap">{absolute(s.ingest_url)}</td>
        <td data-testid="rejected" className={s.rejected ? "bad" : undefined}>
          {formatCount(s.rejected)}
        </td>
        <td data-testid="conflicts" className={s.conflicts ? "bad" : undefined}>
          {formatCount(s.conflicts)}
        </td>
        <td>{formatTime(s.created_at)}</td>
        <td>
          {!mode.readOnly && (
            <div className="actions">
              {s.provider !== "none" && (
                <button type="button" className="secondary" onClick={() => setEditing(!editing)}>
                  {editing ? "Cancel" : "Rotate secret"}
                </button>
              )}
              <ConfirmButton
                label="Delete…"
                question="Delete this source? Its ingest URL answers 404 from now on."
                confirm="Delete source"
                danger
                busy={busy}
                onConfirm={remove}
              />
            </div>
          )}
        </td>
      </tr>
      {(editing || error || notice || shown) && (
        <tr className="detail">
          <td colSpan={8}>
            {editing && (
              <form className="inline" onSubmit={saveSecret} data-testid="source-secret">
                <input
                  aria-label="New secret"
                  placeholder={
                    s.provider === "stripe"
                      ? "whsec_… from Stripe"
                      : "the provider's new secret; empty: Herald makes one"
                  }
                  className="wide"
                  required={s.provider === "stripe" || !keepOld}
                  minLength={8}
                  value={secret}
                  onChange={(e) => setSecret(e.target.value)}
                />
                <label className="check">
                  <input
                    type="checkbox"
                    checked={keepOld}
                    onChange={(e) => setKeepOld(e.target.checked)}
                  />
                  Accept the old secret during the rotation grace
                </label>
                <button type="submit" disabled={busy}>
                  Save secret
                </button>
              </form>
            )}
            {shown && (
              <SecretBox title="New signing secret" secret={shown} onDone={() => setShown(null)} />
            )}
            <Notice text={notice} />
            <ErrorLine error={error} />
          </td>
        </tr>
      )}
    </>
  );
}

function CreateSource({ onCreated }: { onCreated(source: CreatedSource): void }) {
  const { api, mode } = useSession();
  const [form, setForm] = useState({
    name: "",
    provider: "github" as Source["provider"],
    secret: "",
    tenant: "",
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { name: form.name.trim(), provider: form.provider };
      if (form.secret.trim()) body.secret = form.secret.trim();
      if (form.tenant.trim()) body.tenant = form.tenant.trim();
      onCreated(await api.post<CreatedSource>("/sources", body));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card form-grid" onSubmit={submit} data-testid="create-source">
      <label>
        Name
        <input
          required
          placeholder="github-main"
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
      </label>
      <label>
        Provider
        <select
          value={form.provider}
          onChange={(e) => setForm({ ...form, provider: e.target.value as Source["provider"] })}
        >
          {PROVIDERS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {form.provider !== "none" && (
        <label>
          Secret
          <input
            placeholder={
              form.provider === "stripe"
                ? "whsec_… from Stripe (or later)"
                : "empty: Herald makes one"
            }
            value={form.secret}
            onChange={(e) => setForm({ ...form, secret: e.target.value })}
          />
        </label>
      )}
      {!mode.tenant && (
        <label>
          Tenant
          <input
            placeholder="optional"
            value={form.tenant}
            onChange={(e) => setForm({ ...form, tenant: e.target.value })}
          />
        </label>
      )}
      <div>
        <button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create source"}
        </button>
      </div>
      <ErrorLine error={error} />
    </form>
  );
}
