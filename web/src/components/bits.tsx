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
