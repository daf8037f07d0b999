// The shapes of Herald's public /v1 API as the dashboard reads them: the SDK's types, generated
// from the OpenAPI document (sdk/src/schema.ts), which the test suite checks against every answer.
import type { components, operations } from "../../../sdk/src/schema.ts";

type Schemas = components["schemas"];

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** A page with `row` put first (a record just made), still at most `limit` rows. */
export function prepended<T extends { id: string }>(
  old: Page<T> | null | undefined,
  row: T,
  limit: number,
): Page<T> {
  const rest = (old?.data ?? []).filter((r) => r.id !== row.id);
  return { data: [row, ...rest].slice(0, limit), next_cursor: old?.next_cursor ?? null };
}

/**
 * An event as a list row: the API's list has more fields (where its deliveries stand among
 * them), the live stream's messages these and `deliveries`, how many it made.
 */
export type EventSummary = Pick<Schemas["Event"], "id" | "tenant" | "type" | "created_at"> &
  Partial<Pick<Schemas["EventListItem"], "source" | "status" | "delivery_count">> & {
    deliveries?: number;
  };
export type Delivery = Schemas["Delivery"];
export type DeliveryStatus = Delivery["status"];
export type HeraldEvent = Schemas["EventDetail"];
export type Attempt = Schemas["Attempt"];
export type DeliveryDetail = Schemas["DeliveryDetail"];
export type Endpoint = Schemas["Endpoint"];
export type CreatedEndpoint = Schemas["CreatedEndpoint"];
export type EndpointStats = Schemas["EndpointStats"];
export type WindowStats = EndpointStats["last_hour"];
export type PingResult = Schemas["PingResult"];
export type EventType = Schemas["EventType"];

/** GET /v1/me: who the dashboard is logged in as; `portal` set in a merchant's portal session. */
export type Me = operations["getV1Me"]["responses"][200]["content"]["application/json"];
/** A delivery as GET /v1/deliveries lists it: with why it waits, while it does. */
export type ListedDelivery = Schemas["DeliveryListItem"];
/** An event as GET /v1/events lists it: with where its deliveries stand. */
export type ListedEvent = Schemas["EventListItem"];
export type Source = Schemas["Source"];
export type CreatedSource = Schemas["CreatedSource"];
export type AuditEntry = Schemas["AuditEntry"];
