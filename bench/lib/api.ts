// An HTTP client for one Herald API process: a keep-alive undici pool with the bench's key.
import { Pool } from "undici";

export const API_KEY = "bench-key-0123456789";

const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };

export interface ApiClient {
  /** POSTs `body` as JSON; returns the status and the parsed JSON answer. */
  post(path: string, body: unknown): Promise<{ status: number; body: any }>;
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
    close: () => pool.close(),
  };
}
