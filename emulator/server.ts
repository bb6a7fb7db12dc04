import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { authorize, resolvePrincipal } from "./auth";
import { EmulatorError } from "./errors";
import { FaultList, type FaultSpec } from "./faults";
import { fieldNestedTooDeep, MAX_BODY_DEPTH } from "./json-depth";
import { refuseNotEmulated } from "./query";
import { parseRateLimit, RateLimiter, type RateLimitSpec } from "./rate-limits";
import { RequestLog } from "./request-log";
import { type RequestContext, type Route, type RouteResult, Router } from "./router";
import { type AdminState, adminRoutes } from "./routes/admin";
import { aliasRoutes } from "./routes/aliases";
import { apiKeyRoutes } from "./routes/api-keys";
import { appRoutes } from "./routes/apps";
import { type ExportShelf, exportRoutes } from "./routes/exports";
import { notEmulatedRoutes } from "./routes/not-emulated";
import { notificationAdminRoutes } from "./routes/notifications/admin-routes";
import { deliverDue } from "./routes/notifications/delivery";
import { notificationRoutes } from "./routes/notifications/routes";
import { playerRoutes } from "./routes/players";
import { segmentRoutes } from "./routes/segments";
import { templateRoutes } from "./routes/templates";
import { userRoutes } from "./routes/users";
import { Store } from "./store";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** The port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** The address to listen on; loopback unless set. */
  host?: string;
  /** A JSON file that keeps the state across restarts. */
  dataFile?: string;
  /** The organization API key to accept; generated when absent. */
  organizationApiKey?: string;
  /** Per-app rate limits, on from the start (also settable with `POST /_emulator/rate-limits`). */
  rateLimits?: RateLimitSpec[];
  /** How long a CSV export takes to be ready, in ms (default 1000). */
  exportDelayMs?: number;
  /** Added to every API request, to model a network round trip (default 0). */
  latencyMs?: number;
  /** How many requests `GET /_emulator/requests` keeps, newest last (default 100,000). */
  requestLogLimit?: number;
  /**
   * Apps to have from the start, by name, each with an app API key; with a data file, an app of that
   * name already there is kept, and its key is the same as before.
   */
  apps?: string[];
}

/** An app the emulator made (or kept) at start, with its app API key. */
export interface StartApp {
  name: string;
  id: string;
  apiKey: string;
}

/** A running emulator. */
export interface RunningEmulator {
  /** The base URL, e.g. `http://127.0.0.1:4010`; use it as `onesignal:apiUrl`. */
  url: string;
  organizationId: string;
  organizationApiKey: string;
  /** The apps of {@link EmulatorOptions.apps}, with their keys. */
  apps: StartApp[];
  /** Stops listening, drops open connections and writes the data file. */
  close(): Promise<void>;
  /** Forgets all state and the request log, as `POST /_emulator/reset` does. */
  reset(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** The prefix of OneSignal's legacy host (`https://onesignal.com/api/v1`), served as well. */
const LEGACY_PREFIX = "/api/v1/";

/** Starts the OneSignal emulator and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  checkOptions(options);
  const store = new Store({ dataFile: options.dataFile, organizationApiKey: options.organizationApiKey });
  const apps = (options.apps ?? []).map((name) => store.ensureStartApp(name));
  await store.persist();
  const log = new RequestLog(options.requestLogLimit);
  const faults = new FaultList();
  const rateLimiter = new RateLimiter();
  const applyStartLimits = () => {
    rateLimiter.clear();
    for (const spec of options.rateLimits ?? []) rateLimiter.set(spec);
  };
  applyStartLimits();
  const shelf: ExportShelf = { exports: new Map(), delayMs: options.exportDelayMs ?? 1000 };
  const router = new Router().add(...apiRoutes(shelf));
  const admin = new Router({ exact: true }).add(
    ...emulatorRoutes({ log, faults, rateLimiter, resetLimits: applyStartLimits, clockAdvanced: deliverDue }),
  );
  let baseUrl = "";

  const server: Server = createServer((req, res) => {
    // The Date of every answer is the emulator's clock, the one its creation times come from, as at OneSignal.
    res.setHeader("Date", new Date(store.clock.now()).toUTCString());
    handle(req, res).catch((error: unknown) => {
      // A defect of the emulator, never the client's input (that is a 4xx): logged, answered, and said.
      log.add({ method: (req.method ?? "GET").toUpperCase(), path: req.url ?? "/", status: 500, durationMs: 0 });
      process.stderr.write(`onesignal-emulator: ${error instanceof Error ? error.stack : String(error)}\n`);
      if (!res.headersSent && !res.destroyed) send(res, 500, { errors: ["Internal Server Error"] });
    });
  });
  server.keepAliveTimeout = 5_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    let path = url.pathname;
    if (path.startsWith(LEGACY_PREFIX)) path = path.slice(LEGACY_PREFIX.length - 1);
    const contextOf = (params: Record<string, string>, body: unknown): RequestContext => ({
      store,
      method,
      path,
      params,
      query: url.searchParams,
      body,
      principal: resolvePrincipal(store, req.headers.authorization, req.socket.remoteAddress),
      baseUrl,
    });

    if (path.startsWith("/_emulator/")) {
      // Never logged, faulted, delayed or rate limited: the admin endpoints are how tests set those up.
      const result = await answer(async () => {
        const body = await readBody(req);
        const matched = admin.match(method, path);
        if (!matched || matched === "methodNotAllowed") {
          throw new EmulatorError(404, { errors: [`No emulator endpoint ${method} ${path}`] });
        }
        const context = contextOf(matched.params, body);
        authorize(matched.route.auth, context, context.params.app_id, matched.route.denied);
        const out = await matched.route.handler(context);
        await store.persist();
        return out;
      });
      send(res, result.status ?? 200, result.body, result.headers);
      return;
    }

    const record = (status: number) =>
      log.add({ method, path, status, durationMs: Math.round((performance.now() - started) * 1000) / 1000 });
    // The body is read first, as a server does before it works: a client that gives up during an
    // injected delay leaves a request that is still carried out.
    let body: unknown;
    let bodyError: EmulatorError | undefined;
    try {
      body = await readBody(req);
    } catch (error) {
      if (!(error instanceof EmulatorError)) {
        // The client went away while sending: logged as a request that got no answer.
        record(0);
        return;
      }
      bodyError = error;
    }
    const fault = faults.take(method, path);
    if (options.latencyMs) await sleep(options.latencyMs);
    if (fault?.delayMs) await hold(fault.delayMs, fault, res);
    if (fault?.reset && !fault.afterCommit) {
      record(0);
      req.socket.destroy();
      return;
    }
    if (fault?.status !== undefined && !fault.afterCommit) {
      const result = faultResponse(fault);
      record(result.status ?? 500);
      send(res, result.status ?? 500, result.body, result.headers);
      return;
    }

    let reshape: ((error: EmulatorError) => EmulatorError) | undefined;
    const answered = await answer(async () => {
      const matched = bodyError ? matchOrUndefined(router, method, path) : router.match(method, path);
      if (matched !== undefined && matched !== "methodNotAllowed") reshape = matched.route.errors;
      if (bodyError) throw bodyError;
      if (matched === "methodNotAllowed") throw new EmulatorError(405, { errors: [`Method ${method} not allowed`] });
      if (!matched) throw new EmulatorError(404, { errors: [`No route ${method} ${path}`] });
      const context = contextOf(matched.params, body);
      const appId = matched.route.appId ? matched.route.appId(context) : context.params.app_id;
      if (matched.route.auth === "app" && appId === undefined) {
        // OneSignal's own answer when a request names no app.
        throw new EmulatorError(400, {
          errors: ["app_id not found. You may be missing a Content-Type: application/json header."],
          reference: ["/docs/accounts-and-keys#section-keys-ids"],
        });
      }
      authorize(matched.route.auth, context, appId, matched.route.denied);
      if (appId !== undefined && matched.route.auth !== "none") {
        const waitSeconds = rateLimiter.take(appId);
        if (waitSeconds !== undefined) {
          throw new EmulatorError(429, { errors: ["API rate limit exceeded"] }, { "Retry-After": String(waitSeconds) });
        }
      }
      refuseNotEmulated(context.query, matched.route.notEmulated);
      const out = await matched.route.handler(context);
      if (method !== "GET") await store.persist();
      return out;
    });
    const result = reshape && answered.status === 400 ? reshaped(answered, reshape) : answered;

    if (fault?.holdAnswerMs) await hold(fault.holdAnswerMs, fault, res);
    if (fault?.afterCommit && fault.status !== undefined) {
      // The request was carried out, and the server fails anyway (a 5xx after the write).
      const failed = faultResponse(fault);
      record(failed.status ?? 500);
      send(res, failed.status ?? 500, failed.body, failed.headers);
      return;
    }
    if (fault?.afterCommit) {
      // The request was carried out; the client never hears so.
      record(0);
      req.socket.destroy();
      return;
    }
    // A client that gave up hears nothing: logged as such, the request carried out all the same.
    record(res.destroyed || !req.socket || req.socket.destroyed ? 0 : (result.status ?? 200));
    send(res, result.status ?? 200, result.body, result.headers);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  return {
    url: baseUrl,
    organizationId: store.organization.id,
    organizationApiKey: store.organization.apiKey,
    apps,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.persist();
      await store.flush();
    },
    async reset() {
      store.reset();
      log.clear();
      faults.clear();
      applyStartLimits();
      shelf.exports.clear();
      await store.persist();
    },
  };
}

/** The longest `latencyMs` and `exportDelayMs`: ten minutes, well inside what a Node timer can wait. */
const MAX_DELAY_MS = 600_000;

/**
 * Refuses options the emulator could not honour, naming the option, before anything starts: the same bounds as
 * the admin endpoints that set them later (a rate limit of `POST /_emulator/rate-limits`).
 */
function checkOptions(options: EmulatorOptions): void {
  for (const key of ["latencyMs", "exportDelayMs"] as const) {
    const value = options[key];
    if (value !== undefined && !(typeof value === "number" && value >= 0 && value <= MAX_DELAY_MS)) {
      throw new Error(`startEmulator: ${key} must be a number of milliseconds from 0 to ${MAX_DELAY_MS}`);
    }
  }
  const limit = options.requestLogLimit;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) {
    throw new Error("startEmulator: requestLogLimit must be a whole number of at least 1");
  }
  for (const [index, spec] of (options.rateLimits ?? []).entries()) {
    const parsed = parseRateLimit(spec);
    if (typeof parsed === "string") throw new Error(`startEmulator: rateLimits[${index}]: ${parsed}`);
  }
}

/** Every route of OneSignal's API the emulator serves (its admin endpoints aside), in match order. */
export function apiRoutes(shelf: ExportShelf): Route[] {
  return [
    ...appRoutes,
    ...apiKeyRoutes,
    ...segmentRoutes,
    ...templateRoutes,
    ...playerRoutes,
    ...userRoutes,
    ...aliasRoutes,
    ...exportRoutes(shelf),
    ...notificationRoutes(shelf),
    ...notEmulatedRoutes,
  ];
}

/** The emulator's own endpoints under `/_emulator/` (no auth, never part of OneSignal's API), each area's among them. */
export function emulatorRoutes(state: AdminState): Route[] {
  return [...adminRoutes(state), ...notificationAdminRoutes];
}

/** Runs a handler and turns a thrown {@link EmulatorError} into its response. */
async function answer(run: () => Promise<RouteResult>): Promise<RouteResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof EmulatorError) return { status: error.status, body: error.body, headers: error.headers };
    throw error;
  }
}

/** A refusal in the shape of its route's family (`Route.errors`). */
function reshaped(result: RouteResult, reshape: (error: EmulatorError) => EmulatorError): RouteResult {
  const error = reshape(
    new EmulatorError(result.status ?? 400, result.body as Record<string, unknown>, result.headers),
  );
  return { status: error.status, body: error.body, headers: error.headers };
}

/** The route of a request whose body was refused, only to shape that refusal: a path that cannot be read has none. */
function matchOrUndefined(router: Router, method: string, path: string): ReturnType<Router["match"]> {
  try {
    return router.match(method, path);
  } catch {
    return undefined;
  }
}

/** Waits `ms`, or, for a fault with `endOnClose`, until the client closes its connection if that comes first. */
async function hold(ms: number, fault: FaultSpec, res: ServerResponse): Promise<void> {
  if (!fault.endOnClose) {
    await sleep(ms);
    return;
  }
  if (res.destroyed || res.socket?.destroyed !== false) return;
  const closed = new AbortController();
  const onClose = () => closed.abort();
  res.once("close", onClose);
  try {
    await sleep(ms, undefined, { signal: closed.signal });
  } catch {
    // The client is gone: the hold is over.
  } finally {
    res.off("close", onClose);
  }
}

function faultResponse(fault: FaultSpec): RouteResult {
  const status = fault.status ?? 500;
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers["Retry-After"] = String(fault.retryAfter);
  if (fault.body !== undefined) {
    const text = typeof fault.body === "string";
    headers["Content-Type"] =
      fault.contentType ?? (text ? "text/plain; charset=utf-8" : "application/json; charset=utf-8");
    return { status, body: text ? fault.body : JSON.stringify(fault.body), headers };
  }
  if (status === 429) return { status, body: { errors: ["API rate limit exceeded"] }, headers };
  if (status === 503) return { status, body: { errors: ["Service temporarily unavailable"] }, headers };
  return { status, body: { errors: [`Injected fault: HTTP ${status}`] }, headers };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    // Past the limit the rest is drained, not kept: leaving the loop would destroy the connection unanswered.
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  if (size > MAX_BODY_BYTES) throw new EmulatorError(413, { errors: ["Request body too large"] });
  if (size === 0) return undefined;
  const text = Buffer.concat(chunks).toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    // ((emulator: D02 OneSignal's wording for malformed JSON is not documented))
    throw new EmulatorError(400, { errors: ["The request body is not valid JSON"] });
  }
  // ((emulator: D02 OneSignal documents no nesting limit)) A body nested past any real payload would be stored,
  // and then fail every later write of the data file: refused here, before any route sees it.
  const tooDeep = fieldNestedTooDeep(parsed, MAX_BODY_DEPTH);
  if (tooDeep !== undefined) {
    throw new EmulatorError(400, {
      errors: [`The request body is nested deeper than ${MAX_BODY_DEPTH} levels (in ${tooDeep})`],
    });
  }
  return parsed;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // Strings and bytes go out as they are: the few answers that are HTML, XML or files.
  const text = Buffer.isBuffer(body) || typeof body === "string" ? body : JSON.stringify(body);
  if (res.destroyed) return;
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
