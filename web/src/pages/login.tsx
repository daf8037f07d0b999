// The key is asked for once and checked against the API before anything is shown: a refused
// key gets a message and no data.
import { type FormEvent, useState } from "react";
import { checkKey, errorMessage, UnreachableError } from "../api/client.ts";

export function Login({ notice, onLogin }: { notice: string | null; onLogin(key: string): void }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const k = key.trim();
    if (!k) return setError("Paste the API key Herald printed on its first start.");
    setBusy(true);
    setError(null);
    try {
      if (await checkKey(k)) onLogin(k);
      else setError("Herald did not accept this key. Check it and try again.");
    } catch (err) {
      setError(
        err instanceof UnreachableError
          ? "Herald is unreachable. Is it running?"
          : `Could not check the key: ${errorMessage(err)}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="card" onSubmit={submit}>
        <h1>Herald</h1>
        <p>Paste your API key to open the dashboard. It is kept only for this browser tab.</p>
        {notice && <p className="notice">{notice}</p>}
        <label>
          API key
          <input
            name="api-key"
            type="password"
            autoComplete="off"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            placeholder="hk_…"
          />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? "Checking…" : "Log in"}
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
