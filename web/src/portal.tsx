// A merchant's portal: the dashboard in tenant mode, opened from a link the platform made
// (POST /v1/portal-sessions). The link's token is in the URL's fragment (never sent to a
// server); it is exchanged once for the session cookie (httpOnly: this code never sees it) and
// removed from the address bar and history at once. Every API call then goes with the cookie
// and the X-Herald-Portal header. A reload keeps the session while the cookie lasts.
import { useEffect, useState } from "react";
import type { Me } from "./api/types.ts";
import { Dashboard } from "./dashboard.tsx";
import type { Mode } from "./session.tsx";

const CREDENTIALS = { portal: true } as const;

type State =
  | { kind: "loading" }
  | { kind: "ready"; mode: Mode }
  | { kind: "ended"; message: string };

async function exchange(token: string): Promise<boolean> {
  const res = await fetch("/portal/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token }),
  });
  return res.ok;
}

async function whoAmI(): Promise<Me | null> {
  const res = await fetch("/v1/me", { headers: { "x-herald-portal": "1" }, cache: "no-store" });
  return res.ok ? ((await res.json()) as Me) : null;
}

export function Portal() {
  const [state, setState] = useState<State>({ kind: "loading" });

  useEffect(() => {
    const token = window.location.hash.match(/^#token=([\w-]+)$/)?.[1];
    if (token) window.history.replaceState(null, "", `${window.location.pathname}#/events`);
    (async () => {
      if (token && !(await exchange(token))) {
        setState({
          kind: "ended",
          message: "This link is invalid, has expired or was already used. Ask for a new one.",
        });
        return;
      }
      const me = await whoAmI();
      if (!me?.portal || !me.tenant) {
        setState({ kind: "ended", message: "Your session has ended. Ask for a new link." });
        return;
      }
      document.title = me.portal.name;
      // CSSOM, which the page's Content-Security-Policy allows (an inline style would not be).
      document.documentElement.style.setProperty("--accent", me.portal.accent);
      setState({
        kind: "ready",
        mode: { tenant: me.tenant, readOnly: me.scope === "tenant:read", portal: me.portal },
      });
    })().catch(() => setState({ kind: "ended", message: "Herald is unreachable. Try again." }));
  }, []);

  if (state.kind === "loading") return <p className="page muted">Opening…</p>;
  if (state.kind === "ended") {
    return (
      <main className="page">
        <p className="card" role="alert" data-testid="portal-ended">
          {state.message}
        </p>
      </main>
    );
  }
  return (
    <Dashboard
      credentials={CREDENTIALS}
      mode={state.mode}
      onLogout={(why) => {
        void fetch("/portal/logout", { method: "POST" }).finally(() =>
          setState({ kind: "ended", message: why ?? "Logged out." }),
        );
      }}
    />
  );
}
