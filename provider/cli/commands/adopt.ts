import type { Command } from "commander";
import { importFileOf } from "../../functions/adoption";
import { appIdFrom, requestOptions, writeOwnFile } from "../shared";

/**
 * `import-file`: what an organization or one app holds, as a `pulumi import --file` file for the provider plugin,
 * so that a team adopts what it made in the dashboard in one import.
 */
export function registerAdoptCommand(program: Command): void {
  program
    .command("import-file")
    .description(
      "write what the organization holds (apps), or one app with --app-id (the app, its segments and templates), as a `pulumi import --file` file; API keys are listed as skipped, with why",
    )
    .option("--app-id <id>", "one app: with its segments and templates (they need its key: --app-key)")
    .option("--app-key <key>", "the app's API key for its segments and templates (default: ONESIGNAL_APP_API_KEY)")
    .option("--out <file>", "write the file there (default: standard output)")
    .action(async (options: { appId?: string; appKey?: string; out?: string }) => {
      const found = await importFileOf(
        {
          // Only --app-id narrows the file to one app: ONESIGNAL_APP_ID, set in many pipelines, does not.
          ...(options.appId !== undefined ? { appId: appIdFrom(options) } : {}),
          ...(options.appKey !== undefined ? { appApiKey: options.appKey } : {}),
        },
        requestOptions(program),
      );
      const text = `${JSON.stringify({ resources: found.resources }, null, 2)}\n`;
      if (options.out) await writeOwnFile(options.out, text, "give --out a new file's name");
      else process.stdout.write(text);
      const counts = new Map<string, number>();
      for (const entry of found.resources) counts.set(entry.type, (counts.get(entry.type) ?? 0) + 1);
      const summary = [...counts].map(([type, count]) => `${count} ${type.split(":").pop()}`).join(", ");
      process.stderr.write(`${found.resources.length} to import${summary ? ` (${summary})` : ""}.\n`);
      for (const skip of found.skipped) {
        process.stderr.write(`skipped ${skip.type.split(":").pop()} "${skip.name}" (${skip.id}): ${skip.reason}.\n`);
      }
      if (!options.appId) {
        process.stderr.write(
          "Segments and templates are an app's: run again with --app-id <id> and that app's key (--app-key) for each app.\n",
        );
      }
    });
}
