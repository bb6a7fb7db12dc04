import { EmulatorError } from "./errors";
import type { Store } from "./store";

/** Who a request authenticated as. */
export type Principal =
  | { kind: "organization" }
  | { kind: "app"; appId: string; tokenId: string }
  /** No key: `missing` when the request carried no key at all, else a key nobody has (or one used from elsewhere). */
  | { kind: "none"; missing: boolean };

/**
 * Which key a route takes: the organization key, an API key of the app the request names,
 * either of them, or none (files the emulator serves in place of OneSignal's storage host, and the emulator's
 * own endpoints under `/_emulator/`).
 */
export type AuthRule = "organization" | "app" | "organization-or-app" | "none";

/** What a handler sees of a request. */
export interface RequestContext {
  store: Store;
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  principal: Principal;
  /** The emulator's own base URL, for links it hands out (CSV files and the like). */
  baseUrl: string;
}

/** What a handler answers; `status` defaults to 200. */
export interface RouteResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The app id of a JSON body's `app_id`. */
export function appIdFromBody(context: RequestContext): string | undefined {
  const appId = (context.body as { app_id?: unknown } | undefined)?.app_id;
  return typeof appId === "string" && appId !== "" ? appId : undefined;
}

/** The app id of the query string's `app_id`. */
export function appIdFromQuery(context: RequestContext): string | undefined {
  return context.query.get("app_id") || undefined;
}

/** One route of the emulated API. */
export interface Route {
  method: string;
  /** A path with `:name` segments, e.g. `/apps/:app_id/auth/tokens/:token_id`. */
  pattern: string;
  auth: AuthRule;
  /** Where the app id of an app-scoped request is; `params.app_id` when absent. */
  appId?: (context: RequestContext) => string | undefined;
  handler: (context: RequestContext) => RouteResult | Promise<RouteResult>;
  /** The documented query parameters the route honours (docs/api-fidelity.md lists each). */
  query?: readonly string[];
  /**
   * Documented query parameters the emulator does not model: a request that uses one is refused with a
   * 400 that says so, never answered as if the parameter had been applied.
   */
  notEmulated?: readonly string[];
  /** The route's answer to a key that may not call it; OneSignal's 403 "Access denied" when absent. */
  denied?: (context: RequestContext) => EmulatorError;
  /**
   * Reshapes the route's refusals, those made before its handler runs (a malformed body) included, for an API
   * family whose error bodies differ from the `{"errors":["..."]}` of the rest (the Users API's `{code, title}`).
   */
  errors?: (error: EmulatorError) => EmulatorError;
}

interface CompiledRoute {
  route: Route;
  segments: string[];
}

/** How a {@link Router} reads paths. */
export interface RouterOptions {
  /**
   * Match paths exactly as written: no empty segment skipped, no `:name` segment percent-decoded. The emulator's
   * own endpoints answer only at their exact paths, where OneSignal's routes forgive a doubled or trailing slash.
   */
  exact?: boolean;
}

/** A small route table matching method and path segments. */
export class Router {
  private readonly routes: CompiledRoute[] = [];
  private readonly exact: boolean;

  constructor(options: RouterOptions = {}) {
    this.exact = options.exact ?? false;
  }

  /** Adds routes. */
  add(...routes: Route[]): this {
    for (const route of routes) this.routes.push({ route, segments: split(route.pattern) });
    return this;
  }

  /**
   * Finds the route for a request: `route` with its params, or `methodNotAllowed` when the path is
   * known with another method, or nothing.
   */
  match(
    method: string,
    path: string,
  ): { route: Route; params: Record<string, string> } | "methodNotAllowed" | undefined {
    const parts = this.exact ? path.split("/").slice(1) : split(path);
    let pathKnown = false;
    for (const { route, segments } of this.routes) {
      const params = matchSegments(segments, parts, this.exact ? (part) => part : decodePart);
      if (!params) continue;
      if (route.method === method) return { route, params };
      pathKnown = true;
    }
    return pathKnown ? "methodNotAllowed" : undefined;
  }
}

function split(path: string): string[] {
  return path.split("/").filter((part) => part.length > 0);
}

/** A path part, decoded; broken percent-encoding is the client's error (a 400), as at OneSignal's front end. */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new EmulatorError(400, { errors: [`Invalid percent-encoding in the path: ${part}`] });
  }
}

function matchSegments(
  pattern: string[],
  parts: string[],
  decode: (part: string) => string,
): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index++) {
    const expected = pattern[index] as string;
    const actual = parts[index] as string;
    if (expected.startsWith(":")) {
      // Only an exact path has empty parts, and a parameter is never empty.
      if (actual === "") return undefined;
      params[expected.slice(1)] = decode(actual);
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}
