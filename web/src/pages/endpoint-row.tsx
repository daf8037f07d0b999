// One endpoint: where it points, its health (success rate, circuit, why it is off) and what
// an operator can do to it. Its health refreshes when the stream reports its deliveries.
import { type FormEvent, useState } from "react";
import { errorMessage } from "../api/client.ts";
import type {
  Endpoint,
  EndpointStats,
  EventType,
  Page,
  PingResult,
  WindowStats,
} from "../api/types.ts";
import { ConfirmButton, ErrorLine, Notice, SecretBox, StatusBadge } from "../components/bits.tsx";
import {
  formatCount,
  formatDuration,
  formatPercent,
  formatTime,
  isoToLocalInput,
  localInputToIso,
} from "../components/format.ts";
import { useCoalesced } from "../components/use-coalesced.ts";
import { useLoad } from "../components/use-load.ts";
import { useSession, useStream } from "../session.tsx";

/** "a.b, c.d" → ["a.b", "c.d"]; empty → null (every type). */
export function parseTypes(text: string): string[] | null {
  const types = text
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean);
  return types.length ? [...new Set(types)] : null;
}

function successText(w: WindowStats | undefined): string {
  if (!w) return "—";
  if (!w.attempts) return "no attempts";
  return `${formatPercent(w.success_rate)} of ${formatCount(w.attempts)} attempts`;
}

type Panel = "edit" | "delete" | "disable" | "rotate" | "recover" | null;

export function EndpointRow({
  endpoint: ep,
  onChange,
  onDelete,
}: {
  endpoint: Endpoint;
  onChange(endpoint: Endpoint): void;
  onDelete(id: string): void;
}) {
  const { api, epoch, mode } = useSession();
  const path = `/endpoints/${encodeURIComponent(ep.id)}`;
  const [panel, setPanel] = useState<Panel>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const stats = useLoad(() => api.get<EndpointStats>(`${path}/stats`), [api, path, epoch]);
  // Settings and switches arrive as stream `endpoint` messages (the list applies them); the
  // circuit and the statistics change with attempts, which the stream reports as `delivery`
  // messages for this endpoint: those refresh both, at most every two seconds.
  const refreshHealth = useCoalesced(async () => {
    stats.reload();
    try {
      onChange(await api.get<Endpoint>(path));
    } catch {
      // The row keeps what it showed; the banner says if Herald is away.
    }
  }, 2_000);
  useStream("delivery", (data) => {
    if ((data as { endpoint_id?: string })?.endpoint_id === ep.id) refreshHealth();
  });

  const act = async (run: () => Promise<string | undefined>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const message = await run();
      if (message) setNotice(message);
      setPanel(null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (p: Panel) => setPanel(panel === p ? null : p);

  const enable = () =>
    act(async () => {
      onChange(await api.post<Endpoint>(`${path}/enable`));
      return "Enabled.";
    });
  const ping = () =>
    act(async () => {
      const r = await api.post<PingResult>(`${path}/test`);
      const code = r.status_code ? ` ${r.status_code}` : "";
      const why = r.error ? `: ${r.error}` : "";
      return `Test ping: ${r.status}${code} in ${formatDuration(r.duration_ms)}${why}`;
    });
  const rotate = () =>
    act(async () => {
      const r = await api.post<{ secret: string }>(`${path}/rotate-secret`);
      setSecret(r.secret);
      onChange(await api.get<Endpoint>(path));
      return undefined;
    });

  const hour = stats.data?.last_hour;
  const day = stats.data?.last_day;
  return (
    <article className="endpoint" data-testid="endpoint" data-id={ep.id}>
      <header>
        <StatusBadge status={ep.enabled ? "enabled" : "disabled"} />
        <span className="mono url">{ep.url}</span>
        <span className="grow" />
        <span className="muted mono">{ep.id}</span>
      </header>
      <dl className="facts">
        <dt>Tenant</dt>
        <dd>{ep.tenant ?? "none"}</dd>
        <dt>Event types</dt>
        <dd>{ep.event_types ? ep.event_types.join(", ") : "all"}</dd>
        <dt>Success, last hour</dt>
        <dd data-testid="success-rate">
          {successText(hour)}
          {day?.attempts ? ` · last day ${formatPercent(day.success_rate)}` : ""}
          {hour?.p50_duration_ms != null && ` · p50 ${formatDuration(hour.p50_duration_ms)}`}
        </dd>
        <dt>Circuit</dt>
        <dd>
          <StatusBadge status={`circuit_${ep.circuit.state}`} />
          {ep.circuit.consecutive_failures > 0 &&
            ` ${ep.circuit.consecutive_failures} failures in a row`}
          {ep.circuit.next_probe_at && `, next probe ${formatTime(ep.circuit.next_probe_at)}`}
        </dd>
        {ep.disabled_reason && (
          <>
            <dt>Disabled</dt>
            <dd>
              {ep.disabled_reason}
              {ep.disabled_at && ` (since ${formatTime(ep.disabled_at)})`}
            </dd>
          </>
        )}
        {ep.description && (
          <>
            <dt>Description</dt>
            <dd>{ep.description}</dd>
          </>
        )}
      </dl>
      {!mode.readOnly && (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => toggle("edit")}>
            Edit
          </button>
          {ep.enabled ? (
            <button type="button" className="secondary" onClick={() => toggle("disable")}>
              Disable
            </button>
          ) : (
            <button type="button" className="secondary" onClick={enable} disabled={busy}>
              Enable
            </button>
          )}
          <button type="button" className="secondary" onClick={() => toggle("rotate")}>
            Rotate secret
          </button>
          <button type="button" className="secondary" onClick={ping} disabled={busy}>
            Send test ping
          </button>
          <button type="button" className="secondary" onClick={() => toggle("recover")}>
            Recover failed…
          </button>
          <button type="button" className="secondary danger" onClick={() => toggle("delete")}>
            Delete…
          </button>
        </div>
      )}
      {panel === "edit" && (
        <EditForm
          endpoint={ep}
          busy={busy}
          onSave={(patch) =>
            act(async () => {
              onChange(await api.patch<Endpoint>(path, patch));
              return "Saved.";
            })
          }
        />
      )}
      {panel === "delete" && (
        <div className="panel" data-testid="confirm-delete">
          <p>
            Delete this endpoint? Its pending deliveries are cancelled and it receives nothing more.
            This cannot be undone.
          </p>
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() =>
              act(async () => {
                await api.delete(path);
                onDelete(ep.id);
                return undefined;
              })
            }
          >
            Delete endpoint
          </button>
        </div>
      )}
      {panel === "disable" && (
        <ReasonForm
          busy={busy}
          onDisable={(reason) =>
            act(async () => {
              onChange(await api.post<Endpoint>(`${path}/disable`, reason ? { reason } : {}));
              return "Disabled: its deliveries wait until it is enabled.";
            })
          }
        />
      )}
      {panel === "rotate" && (
        <div className="panel">
          <p>
            A new secret signs from now on; the current one keeps signing beside it for the rotation
            grace period.
          </p>
          <button type="button" onClick={rotate} disabled={busy}>
            Rotate now
          </button>
        </div>
      )}
      {panel === "recover" && (
        <RecoverForm
          busy={busy}
          onRecover={(since) =>
            act(async () => {
              const r = await api.post<{ recovered: number }>(`${path}/recover`, { since });
              return `Recovered ${r.recovered} failed ${r.recovered === 1 ? "delivery" : "deliveries"}.`;
            })
          }
        />
      )}
      {secret && (
        <SecretBox title="New signing secret" secret={secret} onDone={() => setSecret(null)} />
      )}
      <Notice text={notice} />
      <ErrorLine error={error ?? stats.error} />
    </article>
  );
}

/** A PATCH body: the fields that changed. */
type EndpointPatch = Partial<
  Pick<
    Endpoint,
    | "url"
    | "description"
    | "event_types"
    | "headers"
    | "max_in_flight"
    | "rate_limit_per_second"
    | "signature_scheme"
  >
>;

/** "Name: value" lines ↔ a header map (redacted values come back as they are: Herald keeps them). */
function headersText(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");
}

function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

const SCHEMES: [Endpoint["signature_scheme"], string][] = [
  ["standard-webhooks", "Standard Webhooks (webhook-signature)"],
  ["hmac-sha256-hex", "Standard Webhooks and X-Signature (HMAC-SHA256 hex)"],
  ["seed-000", "Seed dispatcher (X-Signature with the shared secret)"],
];

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function EditForm(props: {
  endpoint: Endpoint;
  busy: boolean;
  onSave(patch: EndpointPatch): void;
}) {
  const ep = props.endpoint;
  const [url, setUrl] = useState(ep.url);
  const [description, setDescription] = useState(ep.description ?? "");
  const [types, setTypes] = useState<string[] | null>(ep.event_types);
  const [headers, setHeaders] = useState(headersText(ep.headers));
  const [maxInFlight, setMaxInFlight] = useState(String(ep.max_in_flight));
  const [rate, setRate] = useState(
    ep.rate_limit_per_second === null ? "" : String(ep.rate_limit_per_second),
  );
  const [scheme, setScheme] = useState(ep.signature_scheme);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: EndpointPatch = {
      signature_scheme: scheme,
      url: url.trim(),
      description: description.trim() || null,
      event_types: types,
      headers: parseHeaders(headers),
      max_in_flight: Number(maxInFlight),
      rate_limit_per_second: rate.trim() ? Number(rate) : null,
    };
    const patch: EndpointPatch = {};
    for (const [k, v] of Object.entries(next) as [keyof EndpointPatch, unknown][]) {
      if (!same(v, ep[k] ?? (k === "headers" ? {} : null))) Object.assign(patch, { [k]: v });
    }
    props.onSave(patch);
  };
  return (
    <form className="panel form-grid" onSubmit={submit} data-testid="edit-endpoint">
      <label>
        URL
        <input required value={url} onChange={(e) => setUrl(e.target.value)} />
      </label>
      <label>
        Description
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <TypePicker value={types} onChange={setTypes} />
      <label>
        Headers (one "Name: value" per line)
        <textarea rows={3} value={headers} onChange={(e) => setHeaders(e.target.value)} />
      </label>
      <label>
        Requests in flight at most
        <input
          type="number"
          min={1}
          max={1000}
          value={maxInFlight}
          onChange={(e) => setMaxInFlight(e.target.value)}
        />
      </label>
      <label>
        Requests per second at most
        <input
          type="number"
          min={1}
          placeholder="no limit"
          value={rate}
          onChange={(e) => setRate(e.target.value)}
        />
      </label>
      <label>
        Signature scheme
        <select
          value={scheme}
          onChange={(e) => setScheme(e.target.value as Endpoint["signature_scheme"])}
        >
          {SCHEMES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <div>
        <button type="submit" disabled={props.busy}>
          Save
        </button>
      </div>
    </form>
  );
}

/** `payment.refund.created` → the wildcards that take it: `payment.*`, `payment.refund.*`. */
function wildcardsOf(name: string): string[] {
  const parts = name.split(".");
  return parts.slice(0, -1).map((_, i) => `${parts.slice(0, i + 1).join(".")}.*`);
}

/**
 * What an endpoint subscribes to: every type (null), or types and wildcards picked from the
 * catalogue (GET /v1/event-types), plus any typed in.
 */
export function TypePicker(props: {
  value: string[] | null;
  onChange(types: string[] | null): void;
}) {
  const { api } = useSession();
  const catalogue = useLoad(() => api.get<Page<EventType>>("/event-types", { limit: 500 }), [api]);
  const known = catalogue.data?.data ?? [];
  const options = [
    ...new Set([...known.flatMap((t) => wildcardsOf(t.name)), ...known.map((t) => t.name)]),
  ].sort();
  const selected = new Set(props.value ?? []);
  const others = (props.value ?? []).filter((t) => !options.includes(t));
  const [otherText, setOtherText] = useState(others.join(", "));
  const emit = (picked: Set<string>, text: string) => {
    const all = [...picked].filter((t) => options.includes(t)).concat(parseTypes(text) ?? []);
    props.onChange(all.length ? [...new Set(all)] : null);
  };
  const describe = (option: string) => known.find((t) => t.name === option)?.description;
  return (
    <fieldset className="type-picker" data-testid="type-picker">
      <legend>Event types {props.value === null && <span className="muted">(all)</span>}</legend>
      {options.map((option) => (
        <label key={option} className="check" title={describe(option)}>
          <input
            type="checkbox"
            checked={selected.has(option)}
            onChange={(e) => {
              const next = new Set(selected);
              if (e.target.checked) next.add(option);
              else next.delete(option);
              emit(next, otherText);
            }}
          />
          <span className="mono">{option}</span>
        </label>
      ))}
      <input
        aria-label="Other event types"
        placeholder={
          options.length
            ? "others, comma-separated"
            : "every type, or e.g. payment.*, order.created"
        }
        value={otherText}
        onChange={(e) => {
          setOtherText(e.target.value);
          emit(selected, e.target.value);
        }}
      />
    </fieldset>
  );
}

function ReasonForm(props: { busy: boolean; onDisable(reason: string): void }) {
  const [reason, setReason] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onDisable(reason.trim());
  };
  return (
    <form className="panel inline" onSubmit={submit}>
      <input
        aria-label="Reason"
        placeholder="Reason (optional)"
        maxLength={500}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <button type="submit" disabled={props.busy}>
        Disable endpoint
      </button>
    </form>
  );
}

/** Since when to re-queue failed deliveries; asks before it re-sends them. */
export function RecoverForm(props: { busy: boolean; onRecover(since: string): void }) {
  const [since, setSince] = useState(() => isoToLocalInput(new Date(Date.now() - 86_400_000)));
  const iso = localInputToIso(since) ?? new Date(0).toISOString();
  return (
    <div className="panel inline">
      <label>
        Failed since
        <input type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
      </label>
      <ConfirmButton
        label="Recover…"
        question={`Send every delivery of this endpoint that failed since ${formatTime(iso)} again?`}
        confirm="Recover them"
        busy={props.busy}
        onConfirm={() => props.onRecover(iso)}
      />
    </div>
  );
}
