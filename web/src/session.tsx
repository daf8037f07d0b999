// What every screen of a logged-in operator shares: the API client, the live stream, and
// `epoch`, which grows each time the stream starts without resuming (the first connection,
// or after Herald was away), so screens refetch what they may have missed.
import { createContext, useContext, useEffect, useRef } from "react";
import type { Api } from "./api/client.ts";
import type { LiveStream, StreamKind } from "./api/stream.ts";

export interface Session {
  api: Api;
  stream: LiveStream;
  epoch: number;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside a session");
  return session;
}

/** True for a `lag` message that says messages of `kind` were skipped: refetch them. */
export function lagged(data: unknown, kind: StreamKind): boolean {
  const kinds = (data as { kinds?: unknown } | null)?.kinds;
  return !Array.isArray(kinds) || kinds.includes(kind);
}

/** Calls `listener` for each stream message of `kind` while the component is mounted. */
export function useStream(kind: StreamKind, listener: (data: unknown) => void): void {
  const { stream } = useSession();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => stream.on(kind, (data) => latest.current(data)), [stream, kind]);
}
