// Small pieces every screen uses: status badges, error lines, the secret shown once.
import { useState } from "react";

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-${status.replace(/_/g, "-")}`}>{status.replace(/_/g, " ")}</span>
  );
}

export function ErrorLine({ error }: { error: string | null | undefined }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error}
    </p>
  );
}

export function Notice({ text }: { text: string | null | undefined }) {
  if (!text) return null;
  return (
    <p className="notice" role="status">
      {text}
    </p>
  );
}

/** A signing secret that is shown only now: a copy button and a way to dismiss it. */
export function SecretBox({
  title,
  secret,
  onDone,
}: {
  title: string;
  secret: string;
  onDone(): void;
}) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("Copied.");
    } catch {
      setCopied("Copy failed: select the text and copy it by hand.");
    }
  };
  return (
    <div className="secret-box" data-testid="secret-box">
      <strong>{title}</strong>
      <p>This secret is shown only now. Store it where your receiver can read it.</p>
      <div className="secret-row">
        <code data-testid="secret">{secret}</code>
        <button type="button" onClick={copy}>
          Copy
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Done
        </button>
      </div>
      {copied && <small>{copied}</small>}
    </div>
  );
}

/**
 * A button for something that cannot be taken back: the first click asks, in place, and only
 * "confirm" does it.
 */
export function ConfirmButton(props: {
  label: string;
  question: string;
  confirm: string;
  busy?: boolean;
  danger?: boolean;
  onConfirm(): void;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className={props.danger ? "secondary danger" : undefined}
        disabled={props.busy}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </button>
    );
  }
  return (
    <fieldset className="confirm" aria-label="Confirm" data-testid="confirm">
      <span>{props.question}</span>
      <button
        type="button"
        className={props.danger ? "danger" : undefined}
        disabled={props.busy}
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {props.confirm}
      </button>
      <button type="button" className="secondary" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </fieldset>
  );
}

/**
 * Previous / next through a keyset-paged list: the cursors that opened each page so far are
 * kept, so "previous" goes back exactly.
 */
export function usePager(reset: unknown) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [key, setKey] = useState(reset);
  if (key !== reset) {
    setKey(reset);
    setCursors([undefined]);
  }
  return {
    cursor: cursors.at(-1),
    page: cursors.length,
    next: (cursor: string) => setCursors((c) => [...c, cursor]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
  };
}

/** Previous / next for a list paged with usePager; `next` is the list's next_cursor. */
export function Pager({
  pager,
  next,
}: {
  pager: ReturnType<typeof usePager>;
  next: string | null | undefined;
}) {
  if (pager.page === 1 && !next) return null;
  return (
    <div className="pager">
      <button
        type="button"
        className="secondary"
        disabled={pager.page === 1}
        onClick={pager.previous}
      >
        Previous
      </button>
      <span className="muted" data-testid="page">
        Page {pager.page}
      </span>
      <button
        type="button"
        className="secondary"
        disabled={!next}
        onClick={() => next && pager.next(next)}
      >
        Next
      </button>
    </div>
  );
}
