#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { OneSignalError, OneSignalMissingKeyError } from "../client/errors";
import { packageVersion } from "../package-version";
import { registerAdoptCommand } from "./commands/adopt";
import { registerAppCommands } from "./commands/apps";
import { registerDeviceCommands } from "./commands/devices";
import { registerNotificationCommands } from "./commands/notifications";
import { registerPulumiCommand, runPulumi } from "./commands/pulumi";
import { registerRecoverCommand } from "./commands/recover";
import {
  apiUrlFlag,
  checkEnvironment,
  EXIT,
  type GlobalOptions,
  isArgumentRefusal,
  namingFlags,
  positiveInteger,
  UsageError,
} from "./shared";

const program = new Command()
  .name("pulumi-onesignal")
  .description("OneSignal from pipelines: notify after a deploy, import and export devices, look things up.")
  .version(packageVersion(), "-V, --version", "print the version")
  // Each command's --help lists these options too: they go before the command's name.
  .configureHelp({ showGlobalOptions: true })
  .option(
    "--api-url <url>",
    "OneSignal API URL (default: ONESIGNAL_API_URL, then https://api.onesignal.com)",
    apiUrlFlag,
  )
  .option("--api-key <key>", "API key (default: ONESIGNAL_ORGANIZATION_API_KEY or ONESIGNAL_APP_API_KEY by command)")
  .option(
    "--request-timeout <ms>",
    "timeout of each attempt (default: ONESIGNAL_REQUEST_TIMEOUT_MS, then 30000)",
    positiveInteger,
  )
  .option(
    "--deadline <ms>",
    "how long one call may take with its retries (default: ONESIGNAL_DEADLINE_MS, then 120000)",
    positiveInteger,
  )
  .option("--json", "print JSON instead of text")
  .exitOverride()
  // Before any command runs: a variable that cannot work is bad usage (exit 2), named, not a failed request.
  .hook("preAction", () => checkEnvironment(program.opts<GlobalOptions>()));

registerAppCommands(program);
registerDeviceCommands(program);
registerNotificationCommands(program);
registerPulumiCommand(program);
registerRecoverCommand(program);
registerAdoptCommand(program);

// `pulumi ARGS` are Pulumi's own flags (`--json`, `--yes`...): handed over whole, before ours are parsed.
const parsed =
  process.argv[2] === "pulumi"
    ? // In a promise, so that what it throws at once (no `pulumi` on PATH) is answered below like every error.
      Promise.resolve(process.argv.slice(3))
        .then(runPulumi)
        .then((code) => {
          process.exitCode = code;
        })
    : program.parseAsync();

parsed.catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // Commander printed its own message (or the help).
    process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  let message = error instanceof Error ? error.message : String(error);
  if (error instanceof OneSignalMissingKeyError) {
    // The library's advice names stack config; a pipeline gives keys by flag or environment.
    message =
      error.which === "organizationApiKey"
        ? "No OneSignal organization API key: pass --api-key <key> or set ONESIGNAL_ORGANIZATION_API_KEY."
        : "No OneSignal app API key: pass --api-key <key> or set ONESIGNAL_APP_API_KEY.";
  }
  let code: number = error instanceof OneSignalError ? EXIT.failed : EXIT.usage;
  if (isArgumentRefusal(error)) {
    // A function refused a value by its field's name: the user gave a flag, so the message names the flag.
    const named = namingFlags(message);
    message = named.message;
    if (named.flagged) code = EXIT.usage;
  }
  // A missing key is configuration to give, like a missing flag: nothing was sent.
  if (error instanceof UsageError || error instanceof OneSignalMissingKeyError) code = EXIT.usage;
  process.stderr.write(`pulumi-onesignal: ${message}\n`);
  process.exit(code);
});
