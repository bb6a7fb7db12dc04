/**
 * Workload: the baseline of `devices import`, a bare HTTP loop a script would be: read the CSV file, split it
 * into lines, POST /players for each at the same concurrency with `fetch`, wait out Retry-After on a 429.
 * No checks, no retries of anything else, no progress: the least work that imports the file.
 */
import { readFileSync } from "node:fs";
import pLimit from "p-limit";
import { reportWorkload, workloadArgs } from "../support";

const { url, appId, appKey, file, concurrency } = workloadArgs<{
  url: string;
  appId: string;
  appKey: string;
  file: string;
  concurrency: number;
}>();

void reportWorkload(async () => {
  const [header, ...lines] = readFileSync(file, "utf8").trim().split("\n");
  const columns = (header as string).split(",");
  const limit = pLimit(concurrency);
  let succeeded = 0;
  let failed = 0;
  await Promise.all(
    lines.map((line) =>
      limit(async () => {
        const cells = line.split(",");
        const row = Object.fromEntries(columns.map((name, i) => [name, cells[i] as string]));
        const body = JSON.stringify({
          app_id: appId,
          device_type: Number(row.device_type),
          identifier: row.identifier,
          language: row.language,
          tags: { cohort: row["tag:cohort"] },
        });
        for (;;) {
          const response = await fetch(`${url}/players`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Key ${appKey}` },
            body,
          });
          await response.arrayBuffer();
          if (response.status === 429) {
            await new Promise((resolve) =>
              setTimeout(resolve, Number(response.headers.get("retry-after") ?? 1) * 1000),
            );
            continue;
          }
          if (response.ok) succeeded += 1;
          else failed += 1;
          return;
        }
      }),
    ),
  );
  return { succeeded, failed };
});
