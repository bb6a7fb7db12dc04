/** The base of every error this package throws on purpose. */
export class OneSignalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Set again on purpose: Pulumi's closure serializer turns `super(...)` into `Error.call(this, ...)`,
    // which sets nothing, and these classes run serialized inside the dynamic-provider host.
    this.message = message;
    if (options && "cause" in options) this.cause = options.cause;
    this.name = "OneSignalError";
    // Serialized, the class no longer inherits Error's stack and text: the provider host prints `${e}: ${e.stack}`.
    Error.captureStackTrace?.(this, new.target);
  }

  /** `Name: message`, as for any Error, also where the class runs serialized. */
  override toString(): string {
    return `${this.name}: ${this.message}`;
  }
}

/** No API key was given for a call that needs one; `which` says which kind, so a caller can name its own flag. */
export class OneSignalMissingKeyError extends OneSignalError {
  readonly which: "organizationApiKey" | "appApiKey";

  constructor(which: "organizationApiKey" | "appApiKey", message: string) {
    super(message);
    this.name = "OneSignalMissingKeyError";
    this.which = which;
  }
}

/**
 * The request never got an HTTP answer: the connection was refused or dropped, or it timed out.
 * `code` is Node's error code (`ECONNRESET`, `ETIMEDOUT`...).
 */
export class OneSignalConnectionError extends OneSignalError {
  readonly code: string;
  readonly method: string;
  readonly path: string;

  constructor(code: string, method: string, path: string, detail: string) {
    super(`${method} ${path}: no response from OneSignal (${code}: ${detail})`);
    this.name = "OneSignalConnectionError";
    this.code = code;
    this.method = method;
    this.path = path;
  }
}

/** OneSignal answered with an error status; `errors` holds OneSignal's own messages. */
export class OneSignalApiError extends OneSignalError {
  readonly status: number;
  readonly errors: string[];
  readonly method: string;
  readonly path: string;
  /** The parsed response body, for fields beyond `errors`. */
  readonly body: unknown;

  constructor(status: number, errors: string[], method: string, path: string, body: unknown) {
    const detail = errors.length > 0 ? errors.join("; ") : "no error message";
    super(`OneSignal answered ${status} to ${method} ${path}: ${detail}`);
    this.name = "OneSignalApiError";
    this.status = status;
    this.errors = errors;
    this.method = method;
    this.path = path;
    this.body = body;
  }
}

/** 404: the object does not exist (or is not visible to this key). */
export class OneSignalNotFoundError extends OneSignalApiError {
  constructor(errors: string[], method: string, path: string, body: unknown) {
    super(404, errors, method, path, body);
    this.name = "OneSignalNotFoundError";
  }
}

/** 429 after every retry; `retryAfterMs` is OneSignal's last `Retry-After`, when it sent one. */
export class OneSignalRateLimitError extends OneSignalApiError {
  readonly retryAfterMs: number | undefined;

  constructor(errors: string[], method: string, path: string, body: unknown, retryAfterMs: number | undefined) {
    super(429, errors, method, path, body);
    this.name = "OneSignalRateLimitError";
    this.retryAfterMs = retryAfterMs;
  }
}

/** 401 or 403: the key is missing, wrong, or of the wrong kind for this endpoint. */
export class OneSignalAuthError extends OneSignalApiError {
  constructor(status: number, errors: string[], method: string, path: string, body: unknown) {
    super(status, errors, method, path, body);
    this.name = "OneSignalAuthError";
    this.message +=
      " (check the key: /apps and /apps/{id}/auth/tokens take the organization API key, app routes that app's API key)";
  }
}

/** Builds the error class for an error status. */
export function apiErrorFor(
  status: number,
  body: unknown,
  method: string,
  path: string,
  retryAfterMs?: number,
): OneSignalApiError {
  const errors = errorMessages(body);
  if (status === 404) return new OneSignalNotFoundError(errors, method, path, body);
  if (status === 429) return new OneSignalRateLimitError(errors, method, path, body, retryAfterMs);
  if (status === 401 || status === 403) return new OneSignalAuthError(status, errors, method, path, body);
  return new OneSignalApiError(status, errors, method, path, body);
}

/**
 * OneSignal's messages from any of its error shapes: `{"errors":["..."]}`, `{"errors":[{"title":...}]}`,
 * `{"errors":"..."}`, `{"errors":{"field":[...]}}`, or a plain text body.
 */
export function errorMessages(body: unknown): string[] {
  if (typeof body === "string") {
    const text = markupText(body);
    return text ? [text.slice(0, 500)] : [];
  }
  if (typeof body !== "object" || body === null) return [];
  const errors = (body as { errors?: unknown }).errors;
  if (errors === undefined || errors === null) return [];
  const list = Array.isArray(errors) ? errors : [errors];
  return list.flatMap((entry): string[] => {
    if (typeof entry === "string") return [entry];
    if (typeof entry === "object" && entry !== null) {
      const { title, message, code } = entry as Record<string, unknown>;
      const text = title ?? message;
      if (typeof text === "string") return [typeof code === "string" ? `${code}: ${text}` : text];
      return Object.entries(entry).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
    }
    return [String(entry)];
  });
}

/**
 * The words of an HTML or XML error page: OneSignal's templates answer a 422 with a Rails HTML page, and its
 * file host a 404 with an XML `<Error>`. The page's title (or its `<Code>` and `<Message>`) when it has one,
 * else its text without tags; any other text as it is.
 */
function markupText(body: string): string {
  const text = body.trim();
  if (!text.startsWith("<")) return text;
  const inner = (tag: string) => new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`, "i").exec(text)?.[1]?.trim();
  const title = inner("title");
  if (title) return title;
  const [code, message] = [inner("Code"), inner("Message")];
  if (code && message) return `${code}: ${message}`;
  return text
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The promise's value, or `undefined` when OneSignal answers 404: for reads of what may be gone, and deletes. */
export async function ifFound<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof OneSignalNotFoundError) return undefined;
    throw error;
  }
}

/**
 * Whether a failed write may have been carried out all the same: the connection dropped after the
 * request left (no answer), or OneSignal answered 5xx (it may fail after the write). A refused
 * connection or a 4xx means nothing was made.
 */
export function outcomeUnknown(error: unknown): boolean {
  if (error instanceof OneSignalConnectionError)
    return !["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"].includes(error.code);
  if (error instanceof OneSignalApiError) return error.status >= 500;
  return false;
}

/**
 * A notification whose send got no clear answer after every retry: it may or may not have gone out.
 * Send it again with the same `idempotencyKey`, and OneSignal sends it at most once (keys last 30 days).
 */
export class OneSignalOutcomeUnknownError extends OneSignalError {
  readonly idempotencyKey: string;

  constructor(idempotencyKey: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      `The notification may or may not have been sent (${detail}). Send it again with idempotencyKey ` +
        `"${idempotencyKey}": OneSignal sends one notification per key.`,
      { cause },
    );
    this.name = "OneSignalOutcomeUnknownError";
    this.idempotencyKey = idempotencyKey;
  }
}
