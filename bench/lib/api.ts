// An HTTP client for one Herald API process: a keep-alive undici pool with the bench's key.
import { Pool } from "undici";

export const API_KEY = "bench-key-0123456789-abcdefghijklmnop";

const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };

export interface ApiClient {
  /** POSTs `body` as JSON; returns the status and the parsed JSON answer. */
  post(path: string, body: unknown): Promise<{ status: number; body: any }>;
  /**
   * POSTs `json` (already serialized) and answers the status only, discarding the body: the
   * load phases measure Herald, so their generator spends as little CPU as it can (undici's
   * body.json() and a JSON.stringify per request were ~8 µs of ~40 per request).
   */
  postStatus(path: string, json: string): Promise<number>;
  close(): Promise<void>;
}

/** `connections` bounds the requests on the wire at once; more wait in undici's queue. */
export function apiClient(url: string, connections: number): ApiClient {
  const pool = new Pool(url, { connections, pipelining: 1 });
  return {
    async post(path, body) {
      const res = await pool.request({ path, method: "POST", headers, body: JSON.stringify(body) });
      return { status: res.statusCode, body: await res.body.json() };
    },
    async postStatus(path, json) {
      const res = await pool.request({ path, method: "POST", headers, body: json });
      await res.body.dump();
      return res.statusCode;
    },
    close: () => pool.close(),
  };
}
