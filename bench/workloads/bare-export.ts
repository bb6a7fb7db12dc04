/**
 * Workload: the baseline of `devices export`, the bare HTTP a script would do: POST the export, ask for the file
 * every 100 ms until it is there, gunzip it and write it.
 */
import { writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { reportWorkload, workloadArgs } from "../support";

const { url, appId, appKey, out } = workloadArgs<{ url: string; appId: string; appKey: string; out: string }>();

void reportWorkload(async () => {
  const started = await fetch(`${url}/players/csv_export?app_id=${appId}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Key ${appKey}` },
    body: "{}",
  });
  const { csv_file_url: fileUrl } = (await started.json()) as { csv_file_url: string };
  for (;;) {
    const response = await fetch(fileUrl);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (response.ok) {
      const text = gunzipSync(bytes).toString("utf8");
      writeFileSync(out, text);
      return { rows: text.trim().split("\n").length - 1 };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});
