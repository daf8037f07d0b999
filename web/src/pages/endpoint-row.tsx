// One endpoint: where it points, its health (success rate, circuit, why it is off) and what
// an operator can do to it. Its health refreshes when the stream reports its deliveries.
import { type FormEvent, useState } from "react";
import { errorMessage } from "../api/client.ts";
import type { Endpoint, EndpointStats, PingResult, WindowStats } from "../api/types.ts";
import { ErrorLine, Notice, SecretBox, StatusBadge } from "../components/bits.tsx";
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

type Panel = "types" | "disable" | "rotate" | "recover" | null;

export function EndpointRow({
  endpoint: ep,
  onChange,
}: {
  endpoint: Endpoint;
  onChange(endpoint: Endpoint): void;
}) {
  const { api, epoch } = useSession();
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
      <div className="actions">
        <button type="button" className="secondary" onClick={() => toggle("types")}>
          Edit event types
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
      </div>
      {panel === "types" && (
        <TypesForm
          endpoint={ep}
          busy={busy}
          onSave={(types) =>
            act(async () => {
              onChange(await api.patch<Endpoint>(path, { event_types: types }));
              return "Event types saved.";
            })
          }
        />
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

function TypesForm(props: {
  endpoint: Endpoint;
  busy: boolean;
  onSave(types: string[] | null): void;
}) {
  const [text, setText] = useState(props.endpoint.event_types?.join(", ") ?? "");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSave(parseTypes(text));
  };
  return (
    <form className="panel inline" onSubmit={submit}>
      <input
        aria-label="Event types"
        placeholder="empty: every type"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" disabled={props.busy}>
        Save types
      </button>
    </form>
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

/** Since when to re-queue failed deliveries; empty means all that are kept. */
export function RecoverForm(props: { busy: boolean; onRecover(since: string): void }) {
  const [since, setSince] = useState(() => isoToLocalInput(new Date(Date.now() - 86_400_000)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onRecover(localInputToIso(since) ?? new Date(0).toISOString());
  };
  return (
    <form className="panel inline" onSubmit={submit}>
      <label>
        Failed since
        <input type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
      </label>
      <button type="submit" disabled={props.busy}>
        Recover
      </button>
    </form>
  );
}
