// The top of the app: the login screen until a key is accepted, then the dashboard. The key
// is kept in sessionStorage: it survives reloads but not closing the browser tab.
import { useState } from "react";
import { Dashboard } from "./dashboard.tsx";
import { Login } from "./pages/login.tsx";

const KEY_ITEM = "herald.apiKey";

export function App() {
  const [key, setKey] = useState(() => sessionStorage.getItem(KEY_ITEM));
  const [notice, setNotice] = useState<string | null>(null);

  if (!key) {
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
      key={key}
      apiKey={key}
      onLogout={(why) => {
        sessionStorage.removeItem(KEY_ITEM);
        setNotice(why ?? null);
        setKey(null);
      }}
    />
  );
}
