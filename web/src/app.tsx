// The top of the app. At /portal/ it is a merchant's portal (portal.tsx). Elsewhere it is the
// operator's dashboard: the login screen until a key is accepted, then the dashboard. The key
// is kept in sessionStorage: it survives reloads but not closing the browser tab.
import { useMemo, useState } from "react";
import { Dashboard } from "./dashboard.tsx";
import { Login } from "./pages/login.tsx";
import { Portal } from "./portal.tsx";
import type { Mode } from "./session.tsx";

const KEY_ITEM = "herald.apiKey";
const OPERATOR: Mode = { tenant: null, readOnly: false, portal: null };

export function App() {
  if (/^\/portal(\/|$)/.test(window.location.pathname)) return <Portal />;
  return <OperatorApp />;
}

function OperatorApp() {
  const [key, setKey] = useState(() => sessionStorage.getItem(KEY_ITEM));
  const [notice, setNotice] = useState<string | null>(null);
  const credentials = useMemo(() => (key ? { key } : null), [key]);

  if (!credentials) {
    return (
      <Login
        notice={notice}
        onLogin={(k) => {
          sessionStorage.setItem(KEY_ITEM, k);
          setNotice(null);
          setKey(k);
        }}
      />
    );
  }
  return (
    <Dashboard
      key={credentials.key}
      credentials={credentials}
      mode={OPERATOR}
      onLogout={(why) => {
        sessionStorage.removeItem(KEY_ITEM);
        setNotice(why ?? null);
        setKey(null);
      }}
    />
  );
}
