import axios from "axios";
import { OneSignalApiError, OneSignalConnectionError } from "./errors";
import type { OneSignalHttpClient } from "./http";

/** The body of POST /players/csv_export. */
export interface ApiCsvExportRequest {
  extra_fields?: string[];
  /** Unix seconds, as a string. */
  last_active_since?: string;
  segment_name?: string;
}

/** POST /players/csv_export?app_id=: starts an export; resolves to the file's URL. */
export async function startCsvExport(
  client: OneSignalHttpClient,
  appId: string,
  body: ApiCsvExportRequest,
): Promise<string> {
  const answer = await client.request<{ csv_file_url: string }>({
    method: "POST",
    path: "/players/csv_export",
    query: { app_id: appId },
    body,
  });
  return answer.csv_file_url;
}

/**
 * GET a file OneSignal prepares (a CSV export, a notification history). It lives on a storage host that
 * answers 403 until the file exists: resolves to
 * `undefined` then. No API key is sent: the URL is the credential, and the key stays with OneSignal.
 */
export async function fetchPreparedFile(url: string, timeoutMs = 60_000): Promise<Buffer | undefined> {
  let response: Awaited<ReturnType<typeof axios.get<ArrayBuffer>>>;
  try {
    response = await axios.get<ArrayBuffer>(url, {
      responseType: "arraybuffer",
      timeout: timeoutMs,
      validateStatus: () => true,
    });
  } catch (error) {
    const code = (error as { code?: string }).code ?? "ERR_NETWORK";
    throw new OneSignalConnectionError(code, "GET", new URL(url).pathname, (error as Error).message);
  }
  if (response.status === 403 || response.status === 404) return undefined;
  if (response.status >= 400) {
    throw new OneSignalApiError(
      response.status,
      [`the prepared file answered ${response.status}`],
      "GET",
      new URL(url).pathname,
      undefined,
    );
  }
  return Buffer.from(response.data);
}
