// A logged-in operator's frame: navigation, the live indicator, the "unreachable" banner and
// the current screen. Herald counts as unreachable while an API call fails to connect or the
// stream is broken; the stream reopening (the browser retries by itself) clears it, and a
// stream that could not resume bumps the epoch so every screen refetches.
import { useEffect, useMemo, useRef, useState } from "react";
import { Api, type Credentials } from "./api/client.ts";
import { LiveStream } from "./api/stream.ts";
import { AuditPage } from "./pages/audit.tsx";
import { EndpointsPage } from "./pages/endpoints.tsx";
import { EventDetailPage } from "./pages/event-detail.tsx";
import { EventsPage } from "./pages/events.tsx";
import { FailedPage } from "./pages/failed.tsx";
import { OverviewPage } from "./pages/overview.tsx";
import { QueuePage } from "./pages/queue.tsx";
import { SourcesPage } from "./pages/sources.tsx";
import { type Route, useRoute } from "./router.ts";
import { type Feed, type Mode, SessionContext } from "./session.tsx";

type StreamState = "connecting" | "live" | "down";

const NAV: { name: Route["name"]; href: string; label: string }[] = [
  { name: "overview", href: "#/", label: "Overview" },
  { name: "events", href: "#/events", label: "Events" },
  { name: "endpoints", href: "#/endpoints", label: "Endpoints" },
  { name: "queue", href: "#/queue", label: "Queue" },
  { name: "failed", href: "#/failed", label: "Failed" },
  { name: "sources", href: "#/sources", label: "Sources" },
  { name: "audit", href: "#/audit", label: "Audit log" },
];
/** What a merchant's portal shows: its events and endpoints. */
const PORTAL_NAV = new Set<Route["name"]>(["events", "endpoints", "failed"]);

/** The portal has no live stream: its screens refresh when asked. */
const NO_FEED: Feed = { on: () => () => {} };

export function Dashboard({
  credentials,
  mode,
  onLogout,
}: {
  credentials: Credentials;
  mode: Mode;
  onLogout(why?: string): void;
}) {
  const route = useRoute();
  const [fetchDown, setFetchDown] = useState(false);
  const [streamState, setStreamState] = useState<StreamState>("connecting");
  const [epoch, setEpoch] = useState(0);
  const logout = useRef(onLogout);
  logout.current = onLogout;

  const api = useMemo(
    () =>
      new Api(credentials, {
        unreachable: () => setFetchDown(true),
        reachable: () => setFetchDown(false),
        unauthorized: () =>
          logout.current(
            "key" in credentials
              ? "Herald no longer accepts this key. Log in again."
              : "Your session has ended. Ask for a new link.",
          ),
      }),
    [credentials],
  );
  const portal = mode.portal !== null;
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
    if (portal) return;
    stream.start();
    return () => stream.close();
  }, [stream, portal]);

  const session = useMemo(
    () => ({ api, stream: portal ? NO_FEED : stream, epoch, mode }),
    [api, stream, epoch, mode, portal],
  );
  const shown: Route =
    portal && !PORTAL_NAV.has(route.name) && route.name !== "event" ? { name: "events" } : route;
  const active = shown.name === "event" ? "events" : shown.name;
  const unreachable = fetchDown || (!portal && streamState === "down");
  const nav = portal ? NAV.filter((item) => PORTAL_NAV.has(item.name)) : NAV;

  return (
    <SessionContext.Provider value={session}>
      <header className="top">
        <a className="brand" href="#/">
          {mode.portal?.name ?? "Herald"}
        </a>
        {mode.tenant && (
          <span className="muted" data-testid="tenant">
            {mode.tenant}
            {mode.readOnly ? " (read only)" : ""}
          </span>
        )}
        <nav>
          {nav.map((item) => (
            <a key={item.name} href={item.href} className={item.name === active ? "active" : ""}>
              {item.label}
            </a>
          ))}
        </nav>
        {portal ? (
          <button type="button" className="secondary" onClick={() => setEpoch((e) => e + 1)}>
            Refresh
          </button>
        ) : (
          <span className={`live live-${unreachable ? "down" : streamState}`} data-testid="live">
            {unreachable ? "Offline" : streamState === "live" ? "Live" : "Connecting…"}
          </span>
        )}
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
        <Screen route={shown} />
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
    case "queue":
      return <QueuePage />;
    case "failed":
      return <FailedPage />;
    case "sources":
      return <SourcesPage />;
    case "audit":
      return <AuditPage key={route.subject ?? ""} subject={route.subject} />;
  }
}
