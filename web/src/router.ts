// Screens live in the URL hash (#/events/evt_1?tenant=m42), so a reload or a shared link
// opens the same screen and the server needs no route per screen.
import { useEffect, useState } from "react";

export type Route =
  | { name: "overview" }
  | { name: "events" }
  | { name: "event"; id: string; tenant?: string }
  | { name: "endpoints" }
  | { name: "queue" }
  | { name: "failed" }
  | { name: "sources" }
  | { name: "audit"; subject?: string };

export function parseRoute(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(search);
  switch (parts[0]) {
    case "events":
      if (parts[1])
        return { name: "event", id: parts[1], tenant: query.get("tenant") ?? undefined };
      return { name: "events" };
    case "endpoints":
      return { name: "endpoints" };
    case "queue":
      return { name: "queue" };
    case "failed":
      return { name: "failed" };
    case "sources":
      return { name: "sources" };
    case "audit":
      return { name: "audit", subject: query.get("subject") ?? undefined };
    default:
      return { name: "overview" };
  }
}

/** The link to an event's detail; `tenant` tells events of different tenants with one id apart. */
export function eventHref(id: string, tenant?: string | null): string {
  const base = `#/events/${encodeURIComponent(id)}`;
  return tenant ? `${base}?tenant=${encodeURIComponent(tenant)}` : base;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}
