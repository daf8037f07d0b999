// A logged-in operator's frame: navigation, the live indicator, the "unreachable" banner and
// the current screen. Herald counts as unreachable while an API call fails to connect or the
// stream is broken; the stream reopening (the browser retries by itself) clears it, and a
// stream that could not resume bumps the epoch so every screen refetches.
import { useEffect, useMemo, useRef, useState } from "react";
import { Api } from "./api/client.ts";
import { LiveStream } from "./api/stream.ts";
import { EndpointsPage } from "./pages/endpoints.tsx";
import { EventDetailPage } from "./pages/event-detail.tsx";
import { EventsPage } from "./pages/events.tsx";
import { FailedPage } from "./pages/failed.tsx";
import { OverviewPage } from "./pages/overview.tsx";
import { type Route, useRoute } from "./router.ts";
import { SessionContext } from "./session.tsx";

type StreamState = "connecting" | "live" | "down";

const NAV: { name: Route["name"]; href: string; label: string }[] = [
  { name: "overview", href: "#/", label: "Overview" },
  { name: "events", href: "#/events", label: "Events" },
  { name: "endpoints", href: "#/endpoints", label: "Endpoints" },
  { name: "failed", href: "#/failed", label: "Failed" },
];

export function Dashboard({ apiKey, onLogout }: { apiKey: string; onLogout(why?: string): void }) {
  const route = useRoute();
  const [fetchDown, setFetchDown] = useState(false);
  const [streamState, setStreamState] = useState<StreamState>("connecting");
  const [epoch, setEpoch] = useState(0);
  const logout = useRef(onLogout);
  logout.current = onLogout;

  const api = useMemo(
    () =>
      new Api(apiKey, {
        unreachable: () => setFetchDown(true),
        reachable: () => setFetchDown(false),
        unauthorized: () => logout.current("Herald no longer accepts this key. Log in again."),
      }),
    [apiKey],
  );
  const stream = useMemo(
    () =>
      new LiveStream(() => api.post<{ token: string }>("/stream-tokens").then((r) => r.token), {
        open: () => {
          setStreamState("live");
          setFetchDown(false);
        },
        ready: (resumed) => {
          if (!resumed) setEpoch((e) => e + 1);
        },
        down: () => setStreamState("down"),
        probe: () => api.get("/events", { limit: 1 }).then(() => undefined),
      }),
    [api],
  );
  useEffect(() => {
    stream.start();
    return () => stream.close();
  }, [stream]);

  const session = useMemo(() => ({ api, stream, epoch }), [api, stream, epoch]);
  const active = route.name === "event" ? "events" : route.name;
  const unreachable = fetchDown || streamState === "down";

  return (
    <SessionContext.Provider value={session}>
      <header className="top">
        <a className="brand" href="#/">
          Herald
        </a>
        <nav>
          {NAV.map((item) => (
            <a key={item.name} href={item.href} className={item.name === active ? "active" : ""}>
              {item.label}
            </a>
          ))}
        </nav>
        <span className={`live live-${unreachable ? "down" : streamState}`} data-testid="live">
          {unreachable ? "Offline" : streamState === "live" ? "Live" : "Connecting…"}
        </span>
        <button type="button" className="secondary" onClick={() => logout.current()}>
          Log out
        </button>
      </header>
      {unreachable && (
        <div className="banner" role="alert" data-testid="unreachable">
          Herald is unreachable, retrying…
        </div>
      )}
      <main className="page">
        <Screen route={route} />
      </main>
    </SessionContext.Provider>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case "overview":
      return <OverviewPage />;
    case "events":
      return <EventsPage />;
    case "event":
      return (
        <EventDetailPage key={`${route.id}/${route.tenant}`} id={route.id} tenant={route.tenant} />
      );
    case "endpoints":
      return <EndpointsPage />;
    case "failed":
      return <FailedPage />;
  }
}
