import type { Readable } from "node:stream";
import axios from "axios";
import { OneSignalApiError, OneSignalConnectionError } from "./errors";
import type { OneSignalHttpClient } from "./http";

/** The body of POST /players/csv_export. */
export interface ApiCsvExportRequest {
  extra_fields?: string[];
  /** Unix seconds, as a string. */
  last_active_since?: string;
  segment_name?: string;
  /** With `segment_name`: the segment's unsubscribed members too. */
  include_unsubscribed?: boolean;
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
 * GET a file OneSignal prepares (a CSV export, a notification history), as a stream. It lives on a storage host
 * that answers 403 until the file exists: resolves to `undefined` then. No API key is sent: the URL is the
 * credential, and the key stays with OneSignal.
 */
export async function fetchPreparedFile(url: string, timeoutMs = 60_000): Promise<Readable | undefined> {
  const path = new URL(url).pathname;
  let response: Awaited<ReturnType<typeof axios.get<Readable>>>;
  try {
    response = await axios.get<Readable>(url, {
      responseType: "stream",
      timeout: timeoutMs,
      // The storage host never redirects; without redirects axios uses Node's http directly.
      maxRedirects: 0,
      // Bytes as they were stored: a gzipped export stays gzipped, and the caller decides.
      decompress: false,
      validateStatus: () => true,
    });
  } catch (error) {
    const code = (error as { code?: string }).code ?? "ERR_NETWORK";
    throw new OneSignalConnectionError(code, "GET", path, (error as Error).message);
  }
  if (response.status < 400) return response.data;
  response.data.resume();
  if (response.status === 403 || response.status === 404) return undefined;
  throw new OneSignalApiError(
    response.status,
    [`the prepared file answered ${response.status}`],
    "GET",
    path,
    undefined,
  );
}
