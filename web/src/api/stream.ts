// The live feed: one EventSource on GET /v1/stream. EventSource cannot send headers, so each
// connection first asks for a stream token (POST /v1/stream-tokens, five minutes) and passes it
// as ?access_token=; the key itself never goes into a URL. The browser's own reconnects reuse
// the URL; once its token has expired Herald refuses it and we open a new stream with a new one. Messages are fanned out to the screens by kind. Each
// connection starts with `ready`; `resumed: false` means messages may have been missed (a
// first connection, or a Herald that restarted), so the screens refetch. The browser
// reconnects by itself after a network error, sending Last-Event-ID so Herald can replay what
// was missed; when the server ends the stream with an error status instead (EventSource then
// gives up), we probe the API (a refused key ends the session there) and open a new one.

export const STREAM_KINDS = ["event", "delivery", "endpoint", "stats", "lag"] as const;
export type StreamKind = (typeof STREAM_KINDS)[number];
export type StreamListener = (data: unknown) => void;

export interface StreamHooks {
  /** The stream is open (again). */
  open(): void;
  /** Herald greeted this connection; unless `resumed`, what the screens show may be stale. */
  ready(resumed: boolean): void;
  /** The stream broke; the browser or we will retry. */
  down(): void;
  /** Called before reopening a stream the server closed; rejects to wait for the next round. */
  probe(): Promise<void>;
}

const REOPEN_MS = 2_000;

export class LiveStream {
  private source: EventSource | undefined;
  private readonly listeners = new Map<StreamKind, Set<StreamListener>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    /** A new stream token (rejects when Herald cannot be asked). */
    private readonly token: () => Promise<string>,
    private readonly hooks: StreamHooks,
  ) {}

  start(): void {
    this.closed = false;
    this.connect();
  }

  /** Subscribes to one kind of message; returns the unsubscribe function. */
  on(kind: StreamKind, listener: StreamListener): () => void {
    let set = this.listeners.get(kind);
    if (!set) {
      set = new Set();
      this.listeners.set(kind, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.source?.close();
    this.source = undefined;
  }

  private connect(): void {
    this.token().then(
      (token) => {
        if (!this.closed) this.open(token);
      },
      () => {
        this.hooks.down();
        this.reopenLater();
      },
    );
  }

  private open(token: string): void {
    const es = new EventSource(`/v1/stream?access_token=${encodeURIComponent(token)}`);
    this.source = es;
    es.onopen = () => this.hooks.open();
    es.addEventListener("ready", (e) => {
      const ready = parse((e as MessageEvent).data) as { resumed?: unknown } | null;
      this.hooks.ready(ready?.resumed === true);
    });
    es.onerror = () => {
      if (this.source !== es) return;
      this.hooks.down();
      if (es.readyState === EventSource.CLOSED) this.reopenLater();
    };
    for (const kind of STREAM_KINDS) {
      es.addEventListener(kind, (e) => this.dispatch(kind, parse((e as MessageEvent).data)));
    }
    // A server may also send unnamed messages that carry their kind in a `type` field.
    es.onmessage = (e) => {
      const msg = parse(e.data) as { type?: unknown; data?: unknown } | null;
      const kind = STREAM_KINDS.find((k) => k === msg?.type);
      if (kind && msg) this.dispatch(kind, msg.data ?? msg);
    };
  }

  private reopenLater(): void {
    this.source?.close();
    this.source = undefined;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.closed) return;
      this.hooks.probe().then(
        () => {
          if (!this.closed) this.connect();
        },
        () => this.reopenLater(),
      );
    }, REOPEN_MS);
  }

  private dispatch(kind: StreamKind, data: unknown): void {
    for (const listener of this.listeners.get(kind) ?? []) listener(data);
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
