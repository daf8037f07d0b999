// Generated from openapi.json by scripts/generate.mjs (openapi-typescript). Do not edit.
export interface paths {
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getHealthLive"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getHealthReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getV1Endpoints"];
        put?: never;
        post: operations["postV1Endpoints"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getV1EndpointsId"];
        put?: never;
        post?: never;
        delete: operations["deleteV1EndpointsId"];
        options?: never;
        head?: never;
        patch: operations["patchV1EndpointsId"];
        trace?: never;
    };
    "/v1/endpoints/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postV1EndpointsIdEnable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postV1EndpointsIdDisable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postV1EndpointsIdRotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getV1Events"];
        put?: never;
        post: operations["postV1Events"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getV1EventsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/event-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getV1EventTypes"];
        put?: never;
        post: operations["postV1EventTypes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/event-types/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getV1EventTypesName"];
        put?: never;
        post?: never;
        delete: operations["deleteV1EventTypesName"];
        options?: never;
        head?: never;
        patch: operations["patchV1EventTypesName"];
        trace?: never;
    };
    "/v1/events/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postV1EventsBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getV1Deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getV1DeliveriesId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postV1DeliveriesIdRetry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postV1EventsIdReplay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}/recover": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postV1EndpointsIdRecover"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postV1EndpointsIdTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getV1EndpointsIdStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getV1Audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getV1ApiKeys"];
        put?: never;
        post: operations["postV1ApiKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getV1ApiKeysId"];
        put?: never;
        post?: never;
        delete: operations["deleteV1ApiKeysId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/portal-sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postV1PortalSessions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postPortalSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/portal/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postPortalLogout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getV1Me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getV1Sources"];
        put?: never;
        post: operations["postV1Sources"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sources/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getV1SourcesId"];
        put?: never;
        post?: never;
        delete: operations["deleteV1SourcesId"];
        options?: never;
        head?: never;
        patch: operations["patchV1SourcesId"];
        trace?: never;
    };
    "/v1/sources/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postV1SourcesIdRotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stats/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getV1StatsOverview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stream-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postV1StreamTokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getV1Stream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getEvents"];
        put?: never;
        post: operations["postEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getEventsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/in/{source_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postInSourceId"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Endpoint: {
            id: string;
            url: string;
            tenant: string | null;
            description: string | null;
            event_types: string[] | null;
            enabled: boolean;
            disabled_reason: string | null;
            /** Format: date-time */
            disabled_at: string | null;
            max_in_flight: number;
            rate_limit_per_second: number | null;
            /** @enum {string} */
            signature_scheme: "standard-webhooks" | "hmac-sha256-hex" | "seed-000";
            headers: {
                [key: string]: string;
            };
            circuit: {
                /** @enum {string} */
                state: "closed" | "open" | "half_open";
                consecutive_failures: number;
                /** Format: date-time */
                next_probe_at: string | null;
            };
            /** Format: date-time */
            previous_secret_expires_at: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        CreatedEndpoint: {
            id: string;
            url: string;
            tenant: string | null;
            description: string | null;
            event_types: string[] | null;
            enabled: boolean;
            disabled_reason: string | null;
            /** Format: date-time */
            disabled_at: string | null;
            max_in_flight: number;
            rate_limit_per_second: number | null;
            /** @enum {string} */
            signature_scheme: "standard-webhooks" | "hmac-sha256-hex" | "seed-000";
            headers: {
                [key: string]: string;
            };
            circuit: {
                /** @enum {string} */
                state: "closed" | "open" | "half_open";
                consecutive_failures: number;
                /** Format: date-time */
                next_probe_at: string | null;
            };
            /** Format: date-time */
            previous_secret_expires_at: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            secret: string;
        };
        Event: {
            id: string;
            tenant: string | null;
            type: string;
            source: string | null;
            content_type: string | null;
            payload: unknown;
            conflicts: number;
            /** Format: date-time */
            created_at: string;
        };
        EventListItem: {
            id: string;
            tenant: string | null;
            type: string;
            source: string | null;
            content_type: string | null;
            payload: unknown;
            conflicts: number;
            /** Format: date-time */
            created_at: string;
            /** @enum {string} */
            status: "none" | "pending" | "in_flight" | "succeeded" | "failed" | "cancelled";
            delivery_count: number;
        };
        Delivery: {
            id: string;
            event_id: string;
            endpoint_id: string;
            /** @enum {string} */
            status: "pending" | "in_flight" | "succeeded" | "failed" | "cancelled";
            attempt_count: number;
            /** Format: date-time */
            next_attempt_at: string | null;
            last_status_code: number | null;
            last_error: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        DeliveryListItem: {
            id: string;
            event_id: string;
            endpoint_id: string;
            /** @enum {string} */
            status: "pending" | "in_flight" | "succeeded" | "failed" | "cancelled";
            attempt_count: number;
            /** Format: date-time */
            next_attempt_at: string | null;
            last_status_code: number | null;
            last_error: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            waiting: {
                /** @enum {string} */
                reason: "due" | "scheduled" | "retry_scheduled" | "circuit_open" | "circuit_half_open" | "endpoint_disabled" | "in_flight";
                /** Format: date-time */
                until: string | null;
            } | null;
        };
        Attempt: {
            number: number;
            /** Format: date-time */
            started_at: string;
            duration_ms: number;
            status_code: number | null;
            error_kind: string | null;
            error_message: string | null;
            response_body: string | null;
        };
        EventDetail: {
            id: string;
            tenant: string | null;
            type: string;
            source: string | null;
            content_type: string | null;
            payload: unknown;
            conflicts: number;
            /** Format: date-time */
            created_at: string;
            deliveries: {
                id: string;
                endpoint_id: string;
                /** @enum {string} */
                status: "pending" | "in_flight" | "succeeded" | "failed" | "cancelled";
                attempt_count: number;
                /** Format: date-time */
                next_attempt_at: string | null;
                last_status_code: number | null;
                last_error: string | null;
                /** Format: date-time */
                created_at: string;
                /** Format: date-time */
                updated_at: string;
            }[];
        };
        DeliveryDetail: {
            id: string;
            event_id: string;
            endpoint_id: string;
            /** @enum {string} */
            status: "pending" | "in_flight" | "succeeded" | "failed" | "cancelled";
            attempt_count: number;
            /** Format: date-time */
            next_attempt_at: string | null;
            last_status_code: number | null;
            last_error: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            attempts: components["schemas"]["Attempt"][];
        };
        ApiKey: {
            id: string;
            name: string;
            /** @enum {string} */
            scope: "admin" | "admin:read" | "tenant" | "tenant:read";
            tenant: string | null;
            /** @enum {string} */
            origin: "config" | "generated" | "api";
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            expires_at: string | null;
            /** Format: date-time */
            revoked_at: string | null;
            /** Format: date-time */
            last_used_at: string | null;
        };
        CreatedApiKey: {
            id: string;
            name: string;
            /** @enum {string} */
            scope: "admin" | "admin:read" | "tenant" | "tenant:read";
            tenant: string | null;
            /** @enum {string} */
            origin: "config" | "generated" | "api";
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            expires_at: string | null;
            /** Format: date-time */
            revoked_at: string | null;
            /** Format: date-time */
            last_used_at: string | null;
            key: string;
        };
        Source: {
            id: string;
            name: string;
            /** @enum {string} */
            provider: "stripe" | "github" | "standard-webhooks" | "hmac" | "none";
            tenant: string | null;
            endpoint_ids: string[] | null;
            options: Record<string, never>;
            ingest_url: string;
            rejected: number;
            conflicts: number;
            /** Format: date-time */
            previous_secret_expires_at: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        CreatedSource: {
            id: string;
            name: string;
            /** @enum {string} */
            provider: "stripe" | "github" | "standard-webhooks" | "hmac" | "none";
            tenant: string | null;
            endpoint_ids: string[] | null;
            options: Record<string, never>;
            ingest_url: string;
            rejected: number;
            conflicts: number;
            /** Format: date-time */
            previous_secret_expires_at: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            secret: string | null;
        };
        EventType: {
            name: string;
            description: string;
            example: unknown;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        AuditEntry: {
            id: string;
            /** Format: date-time */
            at: string;
            actor: string;
            action: string;
            subject: string;
            tenant: string | null;
            details: unknown;
        };
        IngestResult: {
            id: string;
            tenant: string | null;
            type: string;
            deliveries: number;
        };
        BatchItem: {
            /** @enum {string} */
            status: "accepted" | "deduplicated";
            id: string;
            tenant: string | null;
            type: string;
            deliveries: number;
        } | {
            /** @enum {unknown} */
            status: "conflict";
            id: string;
            tenant: string | null;
            error: {
                code: string;
                message: string;
                details?: unknown;
            };
        } | {
            /** @enum {unknown} */
            status: "invalid";
            error: {
                code: string;
                message: string;
                details?: unknown;
            };
        };
        EndpointStats: {
            endpoint_id: string;
            /** Format: date-time */
            as_of: string;
            last_hour: {
                attempts: number;
                succeeded: number;
                success_rate: number | null;
                p50_duration_ms: number | null;
                p95_duration_ms: number | null;
                /** Format: date-time */
                last_success_at: string | null;
                /** Format: date-time */
                last_failure_at: string | null;
            };
            last_day: {
                attempts: number;
                succeeded: number;
                success_rate: number | null;
                p50_duration_ms: number | null;
                p95_duration_ms: number | null;
                /** Format: date-time */
                last_success_at: string | null;
                /** Format: date-time */
                last_failure_at: string | null;
            };
        };
        PingResult: {
            event_id: string;
            status: string;
            status_code: number | null;
            duration_ms: number;
            error: string | null;
        };
        SeedEvent: {
            id: string;
            target_url: string | null;
            payload: unknown;
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            attempted_count: number;
            /** Format: date-time */
            next_attempt_at: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            last_attempted_at: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus metrics, text exposition format (docs/operations.md#monitoring) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getHealthLive: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getHealthReady: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready: the database answers, migrated */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                        schema: number;
                    };
                };
            };
            /** @description Not ready, and why */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {unknown} */
                        status: "unavailable";
                        reason: string;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getV1Endpoints: {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
                tenant?: string;
                search?: string;
                health?: "healthy" | "failing" | "circuit_open" | "disabled";
                sort?: "created" | "url" | "tenant" | "failures";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of endpoints */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Endpoint"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postV1Endpoints: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    url: string;
                    tenant?: string | null;
                    event_types?: string[] | null;
                    description?: string | null;
                    max_in_flight?: number;
                    rate_limit_per_second?: number | null;
                    /** @enum {string} */
                    signature_scheme?: "standard-webhooks" | "hmac-sha256-hex" | "seed-000";
                    headers?: {
                        [key: string]: string;
                    } | null;
                    secret?: string;
                };
            };
        };
        responses: {
            /** @description The endpoint, with its secret */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedEndpoint"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getV1EndpointsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Endpoint"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    deleteV1EndpointsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    patchV1EndpointsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    url?: string;
                    tenant?: string | null;
                    event_types?: string[] | null;
                    description?: string | null;
                    max_in_flight?: number;
                    rate_limit_per_second?: number | null;
                    /** @enum {string} */
                    signature_scheme?: "standard-webhooks" | "hmac-sha256-hex" | "seed-000";
                    headers?: {
                        [key: string]: string;
                    } | null;
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description The endpoint as changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Endpoint"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postV1EndpointsIdEnable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never> | null;
            };
        };
        responses: {
            /** @description The endpoint, enabled */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Endpoint"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postV1EndpointsIdDisable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                } | null;
            };
        };
        responses: {
            /** @description The endpoint, disabled */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Endpoint"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postV1EndpointsIdRotateSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    secret?: string;
                } | null;
            };
        };
        responses: {
            /** @description The new secret (shown only here) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        secret: string;
                        /** Format: date-time */
                        previous_secret_expires_at: string | null;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getV1Events: {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
                tenant?: string;
                type?: string;
                status?: "pending" | "in_flight" | "succeeded" | "failed" | "cancelled";
                id_prefix?: string;
                payload_path?: string;
                payload_value?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["EventListItem"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postV1Events: {
        parameters: {
            query?: never;
            header?: {
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    id?: string;
                    type: string;
                    tenant?: string | null;
                    payload: unknown;
                    endpoint_ids?: string[];
                };
            };
        };
        responses: {
            /** @description The same event again: the stored one */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        tenant: string | null;
                        type: string;
                        deliveries: number;
                        /** @enum {unknown} */
                        deduplicated: true;
                    };
                };
            };
            /** @description Accepted (committed) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IngestResult"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getV1EventsId: {
        parameters: {
            query?: {
                tenant?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event and its deliveries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventDetail"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getV1EventTypes: {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
                prefix?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The catalogue */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["EventType"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postV1EventTypes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    description?: string;
                    example?: unknown;
                };
            };
        };
        responses: {
            /** @description The event type */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventType"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getV1EventTypesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event type */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventType"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    deleteV1EventTypesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    patchV1EventTypesName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                    example?: unknown;
                };
            };
        };
        responses: {
            /** @description The event type as changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventType"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postV1EventsBatch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    events: unknown[];
                };
            };
        };
        responses: {
            /** @description Each item's result */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["BatchItem"][];
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getV1Deliveries: {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
                status?: "pending" | "in_flight" | "succeeded" | "failed" | "cancelled";
                endpoint_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of deliveries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DeliveryListItem"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getV1DeliveriesId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delivery and its attempts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryDetail"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postV1DeliveriesIdRetry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delivery, re-queued */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryDetail"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postV1EventsIdReplay: {
        parameters: {
            query?: {
                tenant?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    endpoint_ids?: string[];
                } | null;
            };
        };
        responses: {
            /** @description Deliveries re-queued */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        event_id: string;
                        deliveries: number;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postV1EndpointsIdRecover: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: date-time */
                    since: string;
                    /** Format: date-time */
                    until?: string;
                };
            };
        };
        responses: {
            /** @description Deliveries re-queued */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        endpoint_id: string;
                        recovered: number;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postV1EndpointsIdTest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The test event's attempt */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PingResult"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getV1EndpointsIdStats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success rate and latency */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndpointStats"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getV1Audit: {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
                subject?: string;
                actor?: string;
                action?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of audit entries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["AuditEntry"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getV1ApiKeys: {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of keys, never a secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ApiKey"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postV1ApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @enum {string} */
                    scope: "admin" | "admin:read" | "tenant" | "tenant:read";
                    tenant?: string | null;
                    /** Format: date-time */
                    expires_at?: string | null;
                };
            };
        };
        responses: {
            /** @description The key (shown only here) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKey"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getV1ApiKeysId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key's record */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    deleteV1ApiKeysId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postV1PortalSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tenant: string;
                    expires_in?: number;
                    read_only?: boolean;
                };
            };
        };
        responses: {
            /** @description The portal link (single use) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        tenant: string;
                        read_only: boolean;
                        url: string;
                        /** Format: date-time */
                        link_expires_at: string;
                        /** Format: date-time */
                        expires_at: string;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postPortalSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                };
            };
        };
        responses: {
            /** @description The session cookie is set (herald_portal) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        expires_at: string;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postPortalLogout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getV1Me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Who the caller is */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        scope: "admin" | "admin:read" | "tenant" | "tenant:read";
                        tenant: string | null;
                        portal: {
                            name: string;
                            accent: string;
                            /** Format: date-time */
                            expires_at: string;
                        } | null;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getV1Sources: {
        parameters: {
            query?: {
                limit?: string;
                cursor?: string;
                tenant?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of sources */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Source"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postV1Sources: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    secret?: string;
                    tenant?: string | null;
                    endpoint_ids?: string[] | null;
                    options?: {
                        header?: string;
                        /** @enum {string} */
                        digest?: "sha1" | "sha256" | "sha512";
                        /** @enum {string} */
                        encoding?: "hex" | "base64";
                        prefix?: string;
                        id_header?: string;
                        event_type?: string;
                        id_field?: string;
                        type_field?: string;
                    };
                    /** @enum {string} */
                    provider: "stripe" | "github" | "standard-webhooks" | "hmac" | "none";
                };
            };
        };
        responses: {
            /** @description The source, with its secret */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedSource"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getV1SourcesId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The source */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Source"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    deleteV1SourcesId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    patchV1SourcesId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    secret?: string;
                    tenant?: string | null;
                    endpoint_ids?: string[] | null;
                    options?: {
                        header?: string;
                        /** @enum {string} */
                        digest?: "sha1" | "sha256" | "sha512";
                        /** @enum {string} */
                        encoding?: "hex" | "base64";
                        prefix?: string;
                        id_header?: string;
                        event_type?: string;
                        id_field?: string;
                        type_field?: string;
                    };
                };
            };
        };
        responses: {
            /** @description The source as changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Source"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postV1SourcesIdRotateSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    secret?: string;
                } | null;
            };
        };
        responses: {
            /** @description The source, with its new secret (shown only here) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedSource"];
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getV1StatsOverview: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Counts and the last 15 minutes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        as_of: string;
                        events: {
                            accepted: number;
                            last_15m: number;
                            estimated: boolean;
                        };
                        deliveries: {
                            pending: number;
                            retrying: number;
                            in_flight: number;
                            succeeded: number;
                            failed: number;
                            cancelled: number;
                            estimated: boolean;
                        };
                        queue: {
                            depth: number;
                            oldest_pending_age_seconds: number | null;
                            estimated: boolean;
                        };
                        series: {
                            bucket_seconds: number;
                            window_seconds: number;
                            points: {
                                /** Format: date-time */
                                at: string;
                                succeeded: number;
                                failed: number;
                            }[];
                            succeeded: number;
                            failed: number;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postV1StreamTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A token for GET /v1/stream */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        token: string;
                        /** Format: date-time */
                        expires_at: string;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getV1Stream: {
        parameters: {
            query?: never;
            header?: {
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server-sent events: the live feed (docs/api.md#live-stream) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Seed 000's health check */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getEvents: {
        parameters: {
            query?: {
                status?: "pending" | "delivered" | "failed";
                page?: string;
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events, seed 000's way */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SeedEvent"][];
                        total: number;
                        page: number;
                        limit: number;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    target_url: string;
                    payload: unknown;
                };
            };
        };
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {unknown} */
                        status: "pending";
                        message: string;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getEventsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event, seed 000's way */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SeedEvent"];
                };
            };
            /** @description Seed 000's not-found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: string;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    postInSourceId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                source_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A redelivery */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        type: string;
                        /** @enum {unknown} */
                        deduplicated: true;
                    };
                };
            };
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        type: string;
                        /** @enum {unknown} */
                        deduplicated: false;
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An error: see docs/api.md#errors */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_request" | "invalid_json" | "payload_too_deep" | "unrepresentable_number" | "unauthorized" | "portal_link_invalid" | "invalid_signature" | "forbidden" | "not_found" | "endpoint_not_found" | "event_not_found" | "delivery_not_found" | "source_not_found" | "api_key_not_found" | "event_type_not_found" | "event_type_exists" | "event_conflict" | "ambiguous_event_id" | "delivery_not_terminal" | "endpoint_deleted" | "request_timeout" | "payload_too_large" | "batch_too_large" | "headers_too_large" | "unsupported_media_type" | "too_many_failed_logins" | "storage_unavailable" | "internal_error";
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
}
