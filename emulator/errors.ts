/**
 * An error the emulator answers with: an HTTP status and a OneSignal-shaped JSON body.
 * Route handlers throw it; the server turns it into the response.
 */
export class EmulatorError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    super(JSON.stringify(body));
    this.name = "EmulatorError";
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** OneSignal's 403 for a missing or wrong key (two spaces after "denied." are OneSignal's). */
export const ACCESS_DENIED =
  "Access denied.  Please include an 'Authorization: ...' header with a valid API key (https://documentation.onesignal.com/docs/en/keys-and-ids#api-keys).";

/** 400 with `{"errors":[...messages]}`. */
export function badRequest(...messages: string[]): EmulatorError {
  return new EmulatorError(400, { errors: messages });
}

/** 404 with `{"errors":[message]}`. */
export function notFound(message: string): EmulatorError {
  return new EmulatorError(404, { errors: [message] });
}

/** 403 with OneSignal's access-denied text. */
export function accessDenied(): EmulatorError {
  return new EmulatorError(403, { errors: [ACCESS_DENIED] });
}

/** Throws a 400 with `message` unless `condition` holds. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw badRequest(message);
}

/** The body as a JSON object, or a 400. */
export function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("The request body must be a JSON object");
  }
  return body as Record<string, unknown>;
}
