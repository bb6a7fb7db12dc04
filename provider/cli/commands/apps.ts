import type { Command } from "commander";
import { getApp, listApps } from "../../functions/apps";
import { print, printRecord, requestOptions } from "../shared";

/** `apps list` and `app get`. */
export function registerAppCommands(program: Command): void {
  program
    .command("apps")
    .description("apps of the organization")
    .command("list")
    .description("list the organization's apps (organization API key)")
    .action(async () => {
      const apps = await listApps(requestOptions(program));
      print(program, apps, () => apps.map((app) => `${app.id}  ${app.name}`).join("\n") || "(no apps)");
    });

  program
    .command("app")
    .description("one app")
    .command("get <appId>")
    .description("show one app")
    .action(async (appId: string) => {
      const app = await getApp(appId, requestOptions(program));
      printRecord(program, app);
    });
}
