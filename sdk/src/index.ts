// The Herald client: typed from Herald's OpenAPI document (schema.ts, generated), calls made
// with openapi-fetch. Every method answers the API's JSON or throws HeraldApiError.
import createClient from "openapi-fetch";
import type { components, operations, paths } from "./schema.ts";
import { newEventId } from "./transaction.ts";

export type { components, operations, paths } from "./schema.ts";
export {
  newEventId,
  type SqlClient,
  sendInTransaction,
  sendToOutbox,
  type TransactionalEvent,
} from "./transaction.ts";
export {
  type VerifyOptions,
  verifyWebhook,
  type WebhookHeaders,
  WebhookVerificationError,
} from "./webhooks.ts";

type Schemas = components["schemas"];
export type Endpoint = Schemas["Endpoint"];
export type CreatedEndpoint = Schemas["CreatedEndpoint"];
export type HeraldEvent = Schemas["Event"];
export type EventDetail = Schemas["EventDetail"];
export type Delivery = Schemas["Delivery"];
export type DeliveryDetail = Schemas["DeliveryDetail"];
export type Attempt = Schemas["Attempt"];
export type ApiKey = Schemas["ApiKey"];
export type CreatedApiKey = Schemas["CreatedApiKey"];
export type Source = Schemas["Source"];
export type CreatedSource = Schemas["CreatedSource"];
export type EventType = Schemas["EventType"];
export type AuditEntry = Schemas["AuditEntry"];
export type IngestResult = Schemas["IngestResult"];
export type BatchItem = Schemas["BatchItem"];
export type EndpointStats = Schemas["EndpointStats"];
export type PingResult = Schemas["PingResult"];

type Body<Op extends keyof operations> = operations[Op] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;
type Query<Op extends keyof operations> = operations[Op] extends {
  parameters: { query?: infer Q };
}
  ? NonNullable<Q>
  : never;

export type NewEvent = Body<"postV1Events">;
export type NewEndpoint = Body<"postV1Endpoints">;
export type EndpointChanges = Body<"patchV1EndpointsId">;
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** Herald answered an error (`{ error: { code, message, details? } }`), or could not be reached. */
export class HeraldApiError extends Error {
  override name = "HeraldApiError";
  constructor(
    /** The HTTP status; 0 when Herald could not be reached. */
    readonly status: number,
    /** Herald's error code (docs/api.md#errors), or "unreachable". */
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface HeraldOptions {
  /** Herald's base URL, say http://127.0.0.1:3000. */
  url: string;
  apiKey: string;
  /** Tries after the first for a send that met a 503, a 429 or a network error (default 3). */
  retries?: number;
  /** The first wait between tries, doubled each time (default 250 ms). */
  retryDelayMs?: number;
  fetch?: typeof fetch;
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Herald {
  private readonly api: ReturnType<typeof createClient<paths>>;
  private readonly retries: number;
  private readonly retryDelayMs: number;

  constructor(options: HeraldOptions) {
    this.api = createClient<paths>({
      baseUrl: options.url.replace(/\/+$/, ""),
      headers: { authorization: `Bearer ${options.apiKey}` },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.retries = options.retries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 250;
  }

  /** The answer's data, or HeraldApiError. */
  private async call<T>(request: () => Promise<Answer<T>>): Promise<T> {
    let answer: Answer<T>;
    try {
      answer = await request();
    } catch (err) {
      throw new HeraldApiError(0, "unreachable", `Herald could not be reached: ${String(err)}`);
    }
    const { data, error, response } = answer;
    if (response.ok) return data as T;
    const e = (error as { error?: { code?: string; message?: string; details?: unknown } })?.error;
    throw new HeraldApiError(
      response.status,
      e?.code ?? `http_${response.status}`,
      e?.message ?? response.statusText,
      e?.details,
    );
  }

  /**
   * A call that is safe to repeat (its events carry their ids): tried again after a 503 (Herald
   * starting, its database away), a 429 or a network error, waiting Retry-After if given.
   */
  private async retried<T>(request: () => Promise<Answer<T>>): Promise<T> {
    let delay = this.retryDelayMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.call(request);
      } catch (err) {
        const e = err as HeraldApiError;
        const again = e.status === 0 || e.status === 503 || e.status === 429;
        if (!again || attempt >= this.retries) throw err;
        await sleep(delay);
        delay *= 2;
      }
    }
  }

  readonly events = {
    /**
     * Sends one event. Its id is generated here when not given and kept for the retries, so a
     * send that Herald committed but whose answer was lost is deduplicated, not sent twice.
     */
    send: (event: NewEvent): Promise<IngestResult & { deduplicated?: true }> => {
      const body = { ...event, id: event.id ?? newEventId() };
      return this.retried(() => this.api.POST("/v1/events", { body }));
    },
    /** Up to 1,000 events in one request and one commit; each item answered on its own. */
    sendBatch: async (events: NewEvent[]): Promise<BatchItem[]> => {
      const body = { events: events.map((e) => ({ ...e, id: e.id ?? newEventId() })) };
      return (await this.retried(() => this.api.POST("/v1/events/batch", { body }))).data;
    },
    get: (id: string, query: Query<"getV1EventsId"> = {}): Promise<EventDetail> =>
      this.call(() => this.api.GET("/v1/events/{id}", { params: { path: { id }, query } })),
    list: (query: Query<"getV1Events"> = {}): Promise<Page<HeraldEvent>> =>
      this.call(() => this.api.GET("/v1/events", { params: { query } })),
    /** Sends the event again to its endpoints (or the ones named). */
    replay: (
      id: string,
      body: Body<"postV1EventsIdReplay"> = {},
      query: Query<"postV1EventsIdReplay"> = {},
    ) =>
      this.call(() =>
        this.api.POST("/v1/events/{id}/replay", { params: { path: { id }, query }, body }),
      ),
  };

  readonly endpoints = {
    create: (endpoint: NewEndpoint): Promise<CreatedEndpoint> =>
      this.call(() => this.api.POST("/v1/endpoints", { body: endpoint })),
    list: (query: Query<"getV1Endpoints"> = {}): Promise<Page<Endpoint>> =>
      this.call(() => this.api.GET("/v1/endpoints", { params: { query } })),
    get: (id: string): Promise<Endpoint> =>
      this.call(() => this.api.GET("/v1/endpoints/{id}", { params: { path: { id } } })),
    update: (id: string, changes: EndpointChanges): Promise<Endpoint> =>
      this.call(() =>
        this.api.PATCH("/v1/endpoints/{id}", { params: { path: { id } }, body: changes }),
      ),
    delete: async (id: string): Promise<void> => {
      await this.call(() => this.api.DELETE("/v1/endpoints/{id}", { params: { path: { id } } }));
    },
    disable: (id: string, reason?: string): Promise<Endpoint> =>
      this.call(() =>
        this.api.POST("/v1/endpoints/{id}/disable", {
          params: { path: { id } },
          body: reason === undefined ? {} : { reason },
        }),
      ),
    enable: (id: string): Promise<Endpoint> =>
      this.call(() =>
        this.api.POST("/v1/endpoints/{id}/enable", { params: { path: { id } }, body: {} }),
      ),
    rotateSecret: (id: string, secret?: string) =>
      this.call(() =>
        this.api.POST("/v1/endpoints/{id}/rotate-secret", {
          params: { path: { id } },
          body: secret === undefined ? {} : { secret },
        }),
      ),
    /** Sends a test event now and answers its attempt. */
    test: (id: string): Promise<PingResult> =>
      this.call(() => this.api.POST("/v1/endpoints/{id}/test", { params: { path: { id } } })),
    stats: (id: string): Promise<EndpointStats> =>
      this.call(() => this.api.GET("/v1/endpoints/{id}/stats", { params: { path: { id } } })),
    /** Re-queues the endpoint's failed deliveries made since `since` (until `until`). */
    recover: (id: string, window: Body<"postV1EndpointsIdRecover">) =>
      this.call(() =>
        this.api.POST("/v1/endpoints/{id}/recover", { params: { path: { id } }, body: window }),
      ),
  };

  readonly deliveries = {
    list: (query: Query<"getV1Deliveries"> = {}): Promise<Page<Delivery>> =>
      this.call(() => this.api.GET("/v1/deliveries", { params: { query } })),
    get: (id: string): Promise<DeliveryDetail> =>
      this.call(() => this.api.GET("/v1/deliveries/{id}", { params: { path: { id } } })),
    retry: (id: string): Promise<DeliveryDetail> =>
      this.call(() => this.api.POST("/v1/deliveries/{id}/retry", { params: { path: { id } } })),
  };

  readonly keys = {
    create: (key: Body<"postV1ApiKeys">): Promise<CreatedApiKey> =>
      this.call(() => this.api.POST("/v1/api-keys", { body: key })),
    list: (query: Query<"getV1ApiKeys"> = {}): Promise<Page<ApiKey>> =>
      this.call(() => this.api.GET("/v1/api-keys", { params: { query } })),
    get: (id: string): Promise<ApiKey> =>
      this.call(() => this.api.GET("/v1/api-keys/{id}", { params: { path: { id } } })),
    revoke: async (id: string): Promise<void> => {
      await this.call(() => this.api.DELETE("/v1/api-keys/{id}", { params: { path: { id } } }));
    },
  };

  readonly portalSessions = {
    /** A single-use link to the merchant portal for one tenant. */
    create: (session: Body<"postV1PortalSessions">) =>
      this.call(() => this.api.POST("/v1/portal-sessions", { body: session })),
  };

  readonly eventTypes = {
    create: (type: Body<"postV1EventTypes">): Promise<EventType> =>
      this.call(() => this.api.POST("/v1/event-types", { body: type })),
    list: (query: Query<"getV1EventTypes"> = {}): Promise<Page<EventType>> =>
      this.call(() => this.api.GET("/v1/event-types", { params: { query } })),
  };

  readonly sources = {
    create: (source: Body<"postV1Sources">): Promise<CreatedSource> =>
      this.call(() => this.api.POST("/v1/sources", { body: source })),
    list: (query: Query<"getV1Sources"> = {}): Promise<Page<Source>> =>
      this.call(() => this.api.GET("/v1/sources", { params: { query } })),
    get: (id: string): Promise<Source> =>
      this.call(() => this.api.GET("/v1/sources/{id}", { params: { path: { id } } })),
  };
}
