#!/usr/bin/env node
import { Command } from "commander";
import { OneSignalError } from "../client/errors";
import { getApp, listApps } from "../functions/apps";
import type { OneSignalOptions } from "../functions/options";

/** Exit codes: 0 done, 1 OneSignal or network refused the work, 2 bad usage or configuration. */
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

interface GlobalOptions {
  apiUrl?: string;
  apiKey?: string;
  json?: boolean;
}

const program = new Command()
  .name("pulumi-onesignal")
  .description("OneSignal from pipelines: look up apps (more commands arrive with devices and notifications).")
  .option("--api-url <url>", "OneSignal API URL (default: ONESIGNAL_API_URL, then https://api.onesignal.com)")
  .option("--api-key <key>", "API key (default: ONESIGNAL_ORGANIZATION_API_KEY / ONESIGNAL_APP_API_KEY)")
  .option("--json", "print JSON instead of text")
  .exitOverride();

function requestOptions(): OneSignalOptions {
  const { apiUrl, apiKey } = program.opts<GlobalOptions>();
  return { ...(apiUrl ? { apiUrl } : {}), ...(apiKey ? { apiKey } : {}) };
}

function print(value: unknown, text: () => string): void {
  process.stdout.write(program.opts<GlobalOptions>().json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

const apps = program.command("apps").description("apps of the organization");
apps
  .command("list")
  .description("list the organization's apps (organization API key)")
  .action(async () => {
    const list = await listApps(requestOptions());
    print(list, () => list.map((app) => `${app.id}  ${app.name}`).join("\n") || "(no apps)");
  });

program
  .command("app")
  .description("one app")
  .command("get <appId>")
  .description("show one app")
  .action(async (appId: string) => {
    const app = await getApp(appId, requestOptions());
    print(app, () =>
      Object.entries(app)
        .map(([key, value]) => `${key}: ${String(value)}`)
        .join("\n"),
    );
  });

program.parseAsync().catch((error: unknown) => {
  if (error instanceof Error && "exitCode" in error && typeof error.exitCode === "number") {
    process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`pulumi-onesignal: ${message}\n`);
  process.exit(error instanceof OneSignalError ? EXIT_FAILURE : EXIT_USAGE);
});
