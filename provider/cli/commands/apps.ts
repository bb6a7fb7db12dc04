import type { Command } from "commander";
import { getApp, listApps } from "../../functions/apps";
import { getUserIdentity } from "../../functions/users";
import { appIdFrom, print, printRecord, requestOptions } from "../shared";

/** `apps list`, `app get` and `user identity`. */
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

  program
    .command("user")
    .description("one user (app API key)")
    .command("identity <aliasLabel> <aliasId>")
    .description("show a user's aliases, e.g. `user identity external_id u-1`")
    .option("--app-id <id>", "the app (default: ONESIGNAL_APP_ID)")
    .action(async (label: string, id: string, options: { appId?: string }) => {
      printRecord(program, await getUserIdentity(appIdFrom(options), { label, id }, requestOptions(program)));
    });
}
