import * as http from "node:http";
import * as https from "node:https";
import type { AxiosResponse } from "axios";
import { isAxiosError, nodeHttpAdapter, requestConfig, settledConfig } from "./axios-internals";
import { apiErrorFor, OneSignalConnectionError, OneSignalError } from "./errors";
import { FlowWindow } from "./flow-window";
import { DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy, retryDelayMs, shouldRetry } from "./retry";

/** Where and how the client talks to OneSignal. */
export interface ClientSettings {
  /** The API base URL, e.g. `https://api.onesignal.com` or an emulator's URL. */
  apiUrl: string;
  /** The key sent as `Authorization: Key <apiKey>`. */
  apiKey: string;
  /** The timeout of one attempt (default 30 s). */
  timeoutMs?: number | undefined;
  /** How long one call may take in all, retries and waits included (default 120 s). */
  deadlineMs?: number | undefined;
  /** Overrides of the retry policy. */
  retry?: Partial<RetryPolicy>;
}

/** One HTTP call. */
export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The path below the API URL, e.g. `/apps/123`; segments must already be encoded. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /**
   * Marks a POST as safe to repeat (it carries an idempotency key). GET, PUT, PATCH and DELETE are
   * always treated as idempotent.
   */
  idempotent?: boolean;
}

/** A configured OneSignal HTTP client. */
export interface OneSignalHttpClient {
  /** Sends a request with retries and resolves to the parsed JSON body, or throws a {@link OneSignalError}. */
  request<T>(request: HttpRequest): Promise<T>;
  /** The same, with the response headers and status. */
  requestWithResponse<T>(request: HttpRequest): Promise<{ status: number; headers: Record<string, string>; body: T }>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_DEADLINE_MS = 120_000;

/** A value with OneSignal's clock at the moment it answered (its `Date` header), in ms, when it sent one. */
export interface Dated<T> {
  value: T;
  serverDate: number | undefined;
}

/** OneSignal's clock from an answer's `Date` header, in ms. */
export function serverDate(headers: Record<string, string>): number | undefined {
  const parsed = headers.date ? Date.parse(headers.date) : Number.NaN;
  return Number.isNaN(parsed) ? undefined : parsed;
}
/** Where clients are kept, one per configuration; a global slot, so serialized providers capture no Map. */
const CLIENT_CACHE_SLOT = "pulumi-onesignal.httpClients";

/**
 * The client for these settings: one axios instance per configuration (API URL, key, timeout),
 * so keep-alive connections are reused across calls.
 */
export function httpClient(settings: ClientSettings): OneSignalHttpClient {
  if (!settings.apiKey) throw new OneSignalError("No OneSignal API key was given.");
  const registry = globalThis as unknown as Record<string, Map<string, OneSignalHttpClient> | undefined>;
  let cache = registry[CLIENT_CACHE_SLOT];
  if (!cache) {
    cache = new Map();
    registry[CLIENT_CACHE_SLOT] = cache;
  }
  const cacheKey = JSON.stringify([
    settings.apiUrl,
    settings.apiKey,
    settings.timeoutMs,
    settings.deadlineMs,
    settings.retry,
  ]);
  let client = cache.get(cacheKey);
  if (!client) {
    client = createHttpClient(settings);
    cache.set(cacheKey, client);
  }
  return client;
}

/** A new client for these settings (prefer {@link httpClient}, which reuses them). */
export function createHttpClient(settings: ClientSettings): OneSignalHttpClient {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...settings.retry };
  const requestHeaders = {
    Authorization: `Key ${settings.apiKey}`,
    Accept: "application/json",
    "Content-Type": "application/json; charset=utf-8",
    "User-Agent": "pulumi-onesignal",
  };
  // Everything that is the same for every request is settled here, once, into one axios configuration. Each
  // request then goes straight to axios's Node.js adapter: through axios's core, every request would merge this
  // configuration again, check and flatten it and run the transforms, a fifth of a bulk upsert's CPU time.
  const base = settledConfig({
    baseURL: settings.apiUrl.replace(/\/+$/, ""),
    // Keep-alive connections, reused across the calls of this client (one client per key and URL).
    httpAgent: new http.Agent({ keepAlive: true }),
    httpsAgent: new https.Agent({ keepAlive: true }),
    // The proxy environment variables are read once for this client, not on every request.
    ...(proxyConfigured() ? {} : { proxy: false as const }),
    // Bodies go out as JSON text made here, and come back as text parsed here.
    responseType: "text",
    // OneSignal never redirects. Without redirects axios uses Node's http directly, not follow-redirects,
    // whose DEBUG output prints every request's options, the Authorization header included.
    maxRedirects: 0,
    // Every status is handled below, so axios never builds an error that carries the headers.
    validateStatus: () => true,
    transitional: { clarifyTimeoutError: true },
  });
  const send = nodeHttpAdapter();

  // OneSignal's answers set how many requests of this client go at once: when it says "slow down" (429),
  // the request that heard it waits what Retry-After says, and the whole client narrows to just under the limit.
  const flow = new FlowWindow();

  const attemptTimeout = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadlineMs = settings.deadlineMs ?? DEFAULT_DEADLINE_MS;

  /** Sends with retries; resolves to the answer, its headers as Node gave them (flattened only when needed). */
  async function exchange<T>(
    request: HttpRequest,
  ): Promise<{ status: number; headers: AxiosResponse["headers"]; body: T }> {
    const idempotent = request.method !== "POST" || request.idempotent === true;
    const deadline = Date.now() + deadlineMs;
    /** Whether waiting `delay` before another attempt still leaves time for it. */
    const timeLeftAfter = (delay: number) => Date.now() + delay < deadline;
    let retry = 0;
    let rateLimited = 0;
    for (;;) {
      const room = flow.enter();
      if (room) await room;
      const sentAt = Date.now();
      let response: AxiosResponse<unknown>;
      try {
        // The request's own settings on top of the client's (which the adapter reads through the prototype).
        response = await send(
          requestConfig(base, {
            method: request.method.toLowerCase(),
            url: request.path,
            headers: requestHeaders,
            // No attempt outlives the call's deadline.
            timeout: Math.max(1, Math.min(attemptTimeout, deadline - Date.now())),
            params: request.query,
            data: request.body === undefined ? undefined : JSON.stringify(request.body),
          }),
        );
      } catch (error) {
        flow.leave();
        const failure = connectionFailure(error, request);
        const delay = retryDelayMs(retry, undefined, policy);
        if (
          retry < policy.maxRetries &&
          timeLeftAfter(delay) &&
          shouldRetry({ kind: "connection", reached: failure.reached }, idempotent)
        ) {
          await sleep(delay);
          retry += 1;
          continue;
        }
        throw failure.error;
      }
      flow.leave();
      if (response.status === 429) flow.rateLimited(sentAt, Date.now());
      else flow.accepted();
      const body = parseBody(response.data);
      if (response.status < 400) return { status: response.status, headers: response.headers, body: body as T };
      const headers = flattenHeaders(response.headers);
      const retryAfterMs = parseRetryAfter(headers["retry-after"] ?? headers.retryafter);
      const rateDelay = retryDelayMs(rateLimited, retryAfterMs, policy);
      if (response.status === 429 && rateLimited < policy.maxRateLimitRetries && timeLeftAfter(rateDelay)) {
        await sleep(rateDelay);
        rateLimited += 1;
        continue;
      }
      const failure = response.status !== 429;
      const delay = retryDelayMs(retry, retryAfterMs, policy);
      if (
        failure &&
        retry < policy.maxRetries &&
        timeLeftAfter(delay) &&
        shouldRetry({ kind: "status", status: response.status }, idempotent)
      ) {
        await sleep(delay);
        retry += 1;
        continue;
      }
      throw apiErrorFor(response.status, body, request.method, request.path, retryAfterMs);
    }
  }

  return {
    async requestWithResponse<T>(request: HttpRequest) {
      const { status, headers, body } = await exchange<T>(request);
      return { status, headers: flattenHeaders(headers), body };
    },
    async request<T>(request: HttpRequest): Promise<T> {
      return (await exchange<T>(request)).body;
    },
  };
}

/** Encodes one path segment. */
export function segment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // A lone surrogate: no URL can carry it, and OneSignal could not have made such an id.
    throw new OneSignalError(`${JSON.stringify(value)} cannot be part of a URL: it is not valid Unicode text.`);
  }
}

function connectionFailure(error: unknown, request: HttpRequest): { error: Error; reached: boolean } {
  if (!isAxiosError(error)) {
    return { error: new OneSignalError(`${request.method} ${request.path}: ${String(error)}`), reached: true };
  }
  // Only the code and message of axios's error are kept: its config holds the Authorization header.
  const code = error.code ?? "ERR_NETWORK";
  const reached = code !== "ECONNREFUSED" && code !== "ENOTFOUND" && code !== "EAI_AGAIN";
  return { error: new OneSignalConnectionError(code, request.method, request.path, error.message), reached };
}

function parseBody(data: unknown): unknown {
  if (typeof data !== "string" || data.length === 0) return data === "" ? undefined : data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

function flattenHeaders(headers: AxiosResponse["headers"]): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && value !== null)
      flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return flat;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether the environment names an HTTP proxy (axios then reads it, as it always does). */
function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return ["http_proxy", "https_proxy", "all_proxy"].some((name) => env[name] || env[name.toUpperCase()]);
}
