// The Fastify app: routes, auth, and the one error handler that turns every failure into
// { "error": { "code", "message", "details"? } } with the right status.
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import { type Caller, canWrite, isTenantScope, type Principal } from "../auth/access.ts";
import { KeyVerifier } from "../auth/verifier.ts";
import type { Context } from "../context.ts";
import { HeraldError } from "../errors.ts";
import type { Ingestor } from "../events/ingest.ts";
import {
  COOKIE,
  PORTAL_HEADER,
  type PortalGrant,
  portalPrincipal,
  portalSigner,
} from "../portal/sessions.ts";
import { Overview } from "../stats/overview.ts";
import { clientErrorHandler, frameworkErrors, mapErrors } from "./errors.ts";
import { guardJsonBodies } from "./json-body.ts";
import { hostOf, isLoopbackName } from "./loopback.ts";
import { describeResponses } from "./responses.ts";
import { apiKeyRoutes } from "./routes/api-keys.ts";
import { auditRoutes } from "./routes/audit.ts";
import { DASHBOARD_ROUTE, dashboardPath, dashboardRoutes } from "./routes/dashboard.ts";
import { deliveryRoutes } from "./routes/deliveries.ts";
import { endpointRoutes } from "./routes/endpoints.ts";
import { eventTypeRoutes } from "./routes/event-types.ts";
import { eventRoutes } from "./routes/events.ts";
import { eventBatchRoutes } from "./routes/events-batch.ts";
import { healthRoutes } from "./routes/health.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { OPENAPI_PATH, openApiRoute, registerOpenApi } from "./routes/openapi.ts";
import { operationRoutes } from "./routes/operations.ts";
import { portalRoutes } from "./routes/portal.ts";
import { seedRoutes } from "./routes/seed.ts";
import { inboundRoutes, sourceRoutes } from "./routes/sources.ts";
import { statsRoutes } from "./routes/stats.ts";
import {
  accessToken,
  STREAM_PATH,
  streamRoutes,
  streamTokenSigner,
  stripAccessToken,
} from "./routes/stream.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The API key that authenticated this request: its id, scope and tenant. */
    principal: Principal;
    /** The audit log's actor (the key's id) and the tenant its changes are confined to. */
    caller: Caller;
    /** Set when a portal session cookie authenticated the request. */
    portalSession: PortalGrant | undefined;
  }
  interface FastifyContextConfig {
    /** Operator routes (keys, numbers across tenants): refused to tenant keys with 403. */
    operator?: boolean;
    /** A POST that changes nothing stored: allowed to read-only keys. */
    reads?: boolean;
    /** The seed clients' `POST /events`: an admin key, or none under HERALD_SEED_API=open. */
    seed?: boolean;
    /** A route outside /v1 that needs a key all the same (GET /metrics). */
    keyed?: boolean;
  }
}

/** Methods a read-only key may use. */
const READS = new Set(["GET", "HEAD"]);

/**
 * Under HERALD_SEED_API=open the seed route takes no key, so it must not be reachable from a web
 * page: the request must name a loopback host (DNS rebinding names the attacker's) and, when a
 * browser sends an Origin, come from a loopback origin.
 */
function openSeedRequest(req: FastifyRequest): void {
  const host = hostOf(req.headers.host ?? "");
  if (host === undefined || !isLoopbackName(host)) {
    throw new HeraldError(
      "forbidden",
      "HERALD_SEED_API=open serves POST /events only to requests for a loopback host (localhost, 127.0.0.1, [::1]).",
    );
  }
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let originHost: string | undefined;
  try {
    originHost = hostOf(new URL(origin).host);
  } catch {}
  if (originHost === undefined || !isLoopbackName(originHost)) {
    throw new HeraldError(
      "forbidden",
      "POST /events without a key is not served to web pages of other origins.",
    );
  }
}

export async function buildApp(ctx: Context, ingestor: Ingestor): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log,
    // No per-request log lines: at thousands of requests a second they cost more than the work.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: ctx.config.maxPayloadBytes,
    // Slow clients: a request must arrive whole within requestTimeoutMs (408 and closed, see
    // clientErrorHandler), its headers within headersTimeoutMs; Node checks every second
    // (its default, 30 s, would let a stalled client hold its connection that much longer).
    requestTimeout: ctx.config.requestTimeoutMs,
    keepAliveTimeout: ctx.config.keepAliveTimeoutMs,
    http: { headersTimeout: ctx.config.headersTimeoutMs, connectionsCheckingInterval: 1_000 },
    clientErrorHandler,
    // Ids are up to 255 characters (inbound event ids are `<source id>:<provider id>`); percent-
    // encoded in a path that is up to 765. Fastify's default of 100 would answer 414.
    routerOptions: { maxParamLength: 800 },
    // Bodies are validated strictly: no coercion ("1" is not 1) and unknown fields are
    // errors, not silently dropped. Query values are declared as strings and parsed.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    // ?access_token= (the stream's token for EventSource) is cut out of the URL before anything
    // else sees it, so it cannot reach a log line.
    rewriteUrl: (req) => stripAccessToken(req),
    frameworkErrors,
  }) as unknown as FastifyInstance;

  app.server.maxConnections = ctx.config.maxConnections;
  // Fastify parses text/plain by default; the API takes JSON only, anything else is 415.
  app.removeContentTypeParser("text/plain");
  guardJsonBodies(app);

  const keys = new KeyVerifier(ctx.sql, ctx.log, () => ctx.now());
  const streamTokens = streamTokenSigner(ctx);
  const portal = portalSigner(ctx);
  void app.register(cookie);
  app.decorateRequest("portalSession", undefined);
  app.decorateRequest("principal", null as unknown as Principal);
  app.decorateRequest("caller", null as unknown as Caller);
  app.addHook("onReady", async () => keys.start());
  app.addHook("onClose", async () => keys.stop());
  // Failed authentications per client address (only failures count: a platform's ingest with
  // a good key is never limited by this).
  void app.register(rateLimit, { global: false });
  let failures: ReturnType<FastifyInstance["createRateLimit"]> | undefined;
  const failedAuthentication = async (req: FastifyRequest, reply: FastifyReply) => {
    failures ??= app.createRateLimit({
      max: ctx.config.authFailuresPerMinute,
      timeWindow: 60_000,
      keyGenerator: (r) => r.ip,
    });
    const limit = await failures(req);
    if (!limit.isAllowed && limit.isExceeded) {
      reply.header("retry-after", String(Math.max(1, limit.ttlInSeconds)));
      throw new HeraldError("too_many_failed_logins");
    }
    throw new HeraldError("unauthorized");
  };
  app.addHook("onRequest", async (req, reply) => {
    // Decide on the matched route, not the raw URL: the router also matches "/%761/events"
    // and absolute-form targets ("GET http://host/v1/events"), which the raw URL would let past.
    // The dashboard's catch-all route matches any GET: judge those by the path they name.
    const route = req.routeOptions.url;
    if (route === OPENAPI_PATH) return; // the API's description is public
    const path = route === DASHBOARD_ROUTE ? `/${dashboardPath(req)}` : (route ?? req.url);
    // Until the configured key is stored, no key can be judged: come back shortly.
    const seed = req.routeOptions.config?.seed === true;
    const keyed = seed || req.routeOptions.config?.keyed === true;
    if (ctx.started === false && (path.startsWith("/v1/") || keyed)) {
      reply.header("retry-after", "1");
      throw new HeraldError("storage_unavailable", "Herald is starting; retry shortly.");
    }
    if (seed && ctx.config.seedApiOpen) return openSeedRequest(req);
    if (!keyed && !path.startsWith("/v1/") && path !== "/v1") return;
    const header = req.headers.authorization;
    const key = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    let principal: Principal | undefined;
    if (key) principal = await keys.verify(key);
    else if (header === undefined && route === STREAM_PATH) {
      // EventSource cannot send headers: the stream takes a stream token as ?access_token=
      // (never a key), valid while unexpired and while the key that made it is.
      const grant = streamTokens.verify(accessToken(req.raw) ?? "", ctx.now());
      if (grant) principal = await keys.verifyId(grant.k);
    } else if (header === undefined && req.headers[PORTAL_HEADER] === "1") {
      // The portal: its session cookie, only with the header no cross-site page can send.
      // Parsed here: the cookie plugin's own hook runs after this one.
      const jar = req.headers.cookie ? app.parseCookie(req.headers.cookie) : {};
      const session = portal.verify(jar[COOKIE] ?? "", ctx.now());
      if (session) {
        principal = portalPrincipal(session);
        req.portalSession = session;
      }
    }
    if (!principal) return failedAuthentication(req, reply);
    if (req.routeOptions.config?.operator && isTenantScope(principal.scope)) {
      throw new HeraldError("forbidden", "This route needs an admin key.");
    }
    if (!READS.has(req.method) && !req.routeOptions.config?.reads && !canWrite(principal.scope)) {
      throw new HeraldError("forbidden", `A ${principal.scope} key can only read.`);
    }
    req.principal = principal;
    req.caller = { actor: principal.keyId, tenant: principal.tenant ?? undefined };
  });

  mapErrors(app, ctx.config.maxPayloadBytes);
  describeResponses(app, ctx.config.checkResponses);
  // Loaded before any route is declared: it collects them as they are (routes/openapi.ts).
  await registerOpenApi(app);

  // First: its hook must see every ingest route, the encapsulated /in/:source_id included.
  metricsRoutes(app, ctx);
  healthRoutes(app, ctx);
  endpointRoutes(app, ctx);
  eventRoutes(app, ctx, ingestor);
  eventTypeRoutes(app, ctx);
  eventBatchRoutes(app, ctx);
  deliveryRoutes(app, ctx);
  operationRoutes(app, ctx);
  auditRoutes(app, ctx);
  apiKeyRoutes(app, ctx, keys);
  portalRoutes(app, ctx, portal);
  sourceRoutes(app, ctx);
  inboundRoutes(app, ctx, ingestor);
  const overview = new Overview(ctx);
  statsRoutes(app, overview);
  streamRoutes(app, ctx, overview, streamTokens);
  seedRoutes(app, ctx, ingestor);
  dashboardRoutes(app, ctx);
  openApiRoute(app);
  return app;
}
