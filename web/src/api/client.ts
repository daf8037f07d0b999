// The dashboard's only way to Herald: the public /v1 API with the operator's key. Failures
// are sorted into three kinds the screens treat differently: the API said no (ApiError, with
// Herald's error code), the key is not accepted (401, which ends the session), and Herald
// could not be reached at all (which shows the "unreachable" banner until it answers again).

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class UnreachableError extends Error {
  constructor() {
    super("Herald is unreachable.");
  }
}

export interface ConnectionHooks {
  /** A request could not reach Herald (network error, or a proxy's 502/504). */
  unreachable(): void;
  /** A request got an answer from Herald. */
  reachable(): void;
  /** Herald refused the key. */
  unauthorized(): void;
}

export type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** How the dashboard authenticates: an API key, or (the portal) its session cookie. */
export type Credentials = { key: string } | { portal: true };

export class Api {
  constructor(
    private readonly credentials: Credentials,
    private readonly hooks: ConnectionHooks,
  ) {}

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>("GET", withQuery(path, query));
  }

  post<T>(path: string, body?: unknown, query?: Query): Promise<T> {
    return this.request<T>("POST", withQuery(path, query), body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>("PATCH", path, body);
  }

  delete(path: string): Promise<unknown> {
    return this.request("DELETE", path);
  }

  /** Calls `/v1${path}`; the body, when given, is sent as JSON (never an empty JSON body). */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    // The portal's cookie goes by itself (same origin); the header tells Herald to use it, and
    // is what no page of another origin can send.
    const headers: Record<string, string> =
      "key" in this.credentials
        ? { authorization: `Bearer ${this.credentials.key}` }
        : { "x-herald-portal": "1" };
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(`/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
      });
    } catch {
      this.hooks.unreachable();
      throw new UnreachableError();
    }
    if (res.status === 502 || res.status === 504) {
      this.hooks.unreachable();
      throw new UnreachableError();
    }
    this.hooks.reachable();
    const text = await res.text();
    const json = text ? parseJson(text) : null;
    if (res.ok) return json as T;
    const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
    if (res.status === 401) this.hooks.unauthorized();
    throw new ApiError(
      res.status,
      error?.code ?? "http_error",
      error?.message ?? `Herald answered ${res.status}.`,
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Checks a key against the API without a session: true if accepted, false if refused. */
export async function checkKey(key: string): Promise<boolean> {
  let accepted = true;
  const probe = new Api(
    { key },
    {
      unreachable() {},
      reachable() {},
      unauthorized() {
        accepted = false;
      },
    },
  );
  try {
    await probe.get("/events", { limit: 1 });
  } catch (err) {
    if (!accepted) return false;
    throw err;
  }
  return true;
}

/** A message for any error an API call may throw. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return `${err.message} (${err.code})`;
  if (err instanceof Error) return err.message;
  return String(err);
}
