import { describe, expect, it } from "vitest";
import {
  apiErrorFor,
  errorMessages,
  OneSignalApiError,
  OneSignalAuthError,
  OneSignalError,
  OneSignalNotFoundError,
  OneSignalRateLimitError,
} from "../../provider/client/errors";

describe("errorMessages", () => {
  it("reads every error shape OneSignal uses", () => {
    expect(errorMessages({ errors: ["a", "b"] })).toEqual(["a", "b"]);
    expect(errorMessages({ errors: "Invalid app_id" })).toEqual(["Invalid app_id"]);
    expect(errorMessages({ errors: [{ code: "auth-1", title: "needs auth" }] })).toEqual(["auth-1: needs auth"]);
    expect(errorMessages({ errors: { invalid_player_ids: ["x"] } })).toEqual(['invalid_player_ids: ["x"]']);
    expect(errorMessages("<html>The change you wanted was rejected (422)</html>")).toEqual([
      "The change you wanted was rejected (422)",
    ]);
    const railsPage =
      "<!DOCTYPE html>\n<html>\n<head>\n  <title>The change you wanted was rejected (422)</title>\n</head>\n" +
      "<body><h1>The change you wanted was rejected.</h1></body></html>";
    expect(errorMessages(railsPage)).toEqual(["The change you wanted was rejected (422)"]);
    expect(
      errorMessages("<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>"),
    ).toEqual(["NoSuchKey: The specified key does not exist."]);
    expect(errorMessages("Service temporarily unavailable")).toEqual(["Service temporarily unavailable"]);
    expect(errorMessages(undefined)).toEqual([]);
    expect(errorMessages({ success: false })).toEqual([]);
  });
});

describe("apiErrorFor", () => {
  it("builds the class code branches on, with OneSignal's text, status and path", () => {
    const notFound = apiErrorFor(404, { errors: ["App not found"] }, "GET", "/apps/1/auth/tokens");
    expect(notFound).toBeInstanceOf(OneSignalNotFoundError);
    expect(notFound).toBeInstanceOf(OneSignalApiError);
    expect(notFound).toBeInstanceOf(OneSignalError);
    expect(notFound.message).toBe("OneSignal answered 404 to GET /apps/1/auth/tokens: App not found");
    expect(notFound.status).toBe(404);
    expect(notFound.path).toBe("/apps/1/auth/tokens");

    const limited = apiErrorFor(429, { errors: ["API rate limit exceeded"] }, "POST", "/notifications", 2000);
    expect(limited).toBeInstanceOf(OneSignalRateLimitError);
    expect((limited as OneSignalRateLimitError).retryAfterMs).toBe(2000);

    const denied = apiErrorFor(403, { errors: ["Access denied."] }, "GET", "/apps");
    expect(denied).toBeInstanceOf(OneSignalAuthError);
    expect(denied.message).toContain("Access denied.");
    expect(denied.message).toContain("organization API key");

    const plain = apiErrorFor(400, { errors: ["Name can't be blank"] }, "POST", "/apps");
    expect(plain.constructor).toBe(OneSignalApiError);
    expect(plain.errors).toEqual(["Name can't be blank"]);
  });
});
