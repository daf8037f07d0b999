// The shapes of Herald's public /v1 API as the dashboard reads them: the SDK's types, generated
// from the OpenAPI document (sdk/src/schema.ts), which the test suite checks against every answer.
import type { components, operations } from "../../../sdk/src/schema.ts";

type Schemas = components["schemas"];

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** An event as a list row: the API's list has more fields, the live stream's messages these. */
export type EventSummary = Pick<Schemas["Event"], "id" | "tenant" | "type" | "created_at"> &
  Partial<Pick<Schemas["Event"], "source">>;
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
