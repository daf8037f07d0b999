// The shapes of Herald's public /v1 API as the dashboard reads them (docs/api.md).

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface EventSummary {
  id: string;
  tenant: string | null;
  type: string;
  source?: string | null;
  created_at: string;
}

export type DeliveryStatus = "pending" | "in_flight" | "succeeded" | "failed" | "cancelled";

export interface Delivery {
  id: string;
  event_id: string;
  endpoint_id: string;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface HeraldEvent extends EventSummary {
  payload: unknown;
  deliveries: Omit<Delivery, "event_id">[];
}

export interface Attempt {
  number: number;
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  error_kind: string | null;
  error_message: string | null;
  response_body: string | null;
}

export interface DeliveryDetail extends Delivery {
  attempts: Attempt[];
}

export interface Endpoint {
  id: string;
  url: string;
  tenant: string | null;
  description: string | null;
  event_types: string[] | null;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: string | null;
  max_in_flight: number;
  rate_limit_per_second: number | null;
  signature_scheme: string;
  headers: Record<string, string>;
  circuit: {
    state: "closed" | "open" | "half_open";
    consecutive_failures: number;
    next_probe_at: string | null;
  };
  previous_secret_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CreatedEndpoint extends Endpoint {
  secret: string;
}

export interface WindowStats {
  attempts: number;
  succeeded: number;
  success_rate: number | null;
  p50_duration_ms: number | null;
  p95_duration_ms: number | null;
  last_success_at: string | null;
  last_failure_at: string | null;
}

export interface EndpointStats {
  endpoint_id: string;
  as_of: string;
  last_hour: WindowStats;
  last_day: WindowStats;
}

export interface PingResult {
  event_id: string;
  status: string;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
}

export interface EventType {
  name: string;
  description: string;
  example: unknown;
}

/** GET /v1/me: who the dashboard is logged in as; `portal` set in a merchant's portal session. */
export interface Me {
  id: string;
  scope: "admin" | "admin:read" | "tenant" | "tenant:read";
  tenant: string | null;
  portal: { name: string; accent: string; expires_at: string } | null;
}
