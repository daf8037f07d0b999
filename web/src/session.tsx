// What every screen of a logged-in operator shares: the API client, the live stream, and
// `epoch`, which grows each time the stream starts without resuming (the first connection,
// or after Herald was away), so screens refetch what they may have missed.
import { createContext, useContext, useEffect, useRef } from "react";
import type { Api } from "./api/client.ts";
import type { StreamKind, StreamListener } from "./api/stream.ts";

/** Where stream messages come from: the live stream, or nothing (the portal has none). */
export interface Feed {
  on(kind: StreamKind, listener: StreamListener): () => void;
}

/** Who is logged in: the platform's operator, or a merchant in its portal (one tenant). */
export interface Mode {
  /** The tenant every screen is confined to (a portal or a tenant key); null for operators. */
  tenant: string | null;
  readOnly: boolean;
  /** The portal's branding, in a portal session. */
  portal: { name: string; accent: string } | null;
}

export interface Session {
  api: Api;
  stream: Feed;
  epoch: number;
  mode: Mode;
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
