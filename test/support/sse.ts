// A Server-Sent Events client for tests: reads GET /v1/stream with fetch, parses the frames
// as EventSource would, and lets a test wait for the message it expects.
import { waitFor } from "../helpers.ts";

export interface SseMessage {
  event: string;
  id: string | undefined;
  data: any;
}

export interface SseClient {
  status: number;
  headers: Headers;
  /** The JSON body of a response that is not a stream (an error). */
  body: any;
  /** Every message so far, in order (comments and `retry:` lines are not messages). */
  messages: SseMessage[];
  /** Raw text received so far. */
  text(): string;
  /** Resolves with the first message (from the start) that `match` accepts. */
  next(match: (m: SseMessage) => boolean, timeoutMs?: number, what?: string): Promise<SseMessage>;
  /** Resolves once the server has ended the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const messages: SseMessage[] = [];
  let raw = "";
  let ended: Promise<void> = Promise.resolve();
  let body: any = null;
  if (!res.headers.get("content-type")?.startsWith("text/event-stream")) {
    body = await res.json();
  } else if (res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    ended = (async () => {
      let buffer = "";
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          raw += value;
          buffer += value;
          let end = buffer.indexOf("\n\n");
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf("\n\n");
            const fields = {
              event: "message",
              id: undefined as string | undefined,
              data: [] as string[],
            };
            for (const line of block.split("\n")) {
              const m = line.match(/^([^:]+): ?(.*)$/);
              if (!m) continue;
              if (m[1] === "event") fields.event = m[2] as string;
              if (m[1] === "id") fields.id = m[2];
              if (m[1] === "data") fields.data.push(m[2] as string);
            }
            if (fields.data.length) {
              messages.push({
                event: fields.event,
                id: fields.id,
                data: JSON.parse(fields.data.join("\n")),
              });
            }
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }
  return {
    status: res.status,
    headers: res.headers,
    body,
    messages,
    text: () => raw,
    next: (match, timeoutMs = 5_000, what = "a stream message") =>
      waitFor(() => messages.find(match), timeoutMs, what),
    ended,
    close: () => abort.abort(),
  };
}
