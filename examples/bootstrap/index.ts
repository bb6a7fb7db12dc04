// Stands up a complete OneSignal environment for a name (a branch, a preview, a tenant) with Pulumi's
// Automation API: app, server key, segments and templates from one declaration (environment.ts).
// Re-running it changes nothing; --destroy tears it down (OneSignal keeps the app: it has no delete).
//
//   npm run bootstrap -- <environment> [--site-url URL] [--key-file FILE | --print-key] [--destroy]
//
// Needs the Pulumi CLI on PATH, a backend (`pulumi login`, PULUMI_ACCESS_TOKEN, or PULUMI_BACKEND_URL
// with PULUMI_CONFIG_PASSPHRASE), and ONESIGNAL_ORGANIZATION_API_KEY (ONESIGNAL_API_URL for the emulator).
// Prints ONESIGNAL_APP_ID=... on standard output; the key goes only to a file created with mode 0600
// (--key-file) or, when asked (--print-key), to standard output.
import { renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { environmentProgram } from "./environment";

const USAGE = "usage: bootstrap <environment> [--site-url URL] [--key-file FILE | --print-key] [--destroy]";

function usage(problem: string): never {
  process.stderr.write(`bootstrap: ${problem}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<number> {
  const { values, positionals } = (() => {
    try {
      return parseArgs({
        allowPositionals: true,
        options: {
          "site-url": { type: "string" },
          "key-file": { type: "string" },
          "print-key": { type: "boolean", default: false },
          destroy: { type: "boolean", default: false },
        },
      });
    } catch (error) {
      return usage(error instanceof Error ? error.message : String(error));
    }
  })();
  const [environment, ...extra] = positionals;
  if (!environment || extra.length > 0) usage("give exactly one environment name");
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(environment)) {
    usage(`"${environment}" is not a valid environment name: letters, digits, "-", "_" and "." only`);
  }
  if (values["key-file"] && values["print-key"]) usage("give --key-file or --print-key, not both");
  if (!process.env.ONESIGNAL_ORGANIZATION_API_KEY && !process.env.ONESIGNAL_USER_AUTH_KEY) {
    usage("set ONESIGNAL_ORGANIZATION_API_KEY to your OneSignal organization API key");
  }
  const siteUrl = values["site-url"] ?? `https://${environment}.preview.example.com`;

  const stack = await LocalWorkspace.createOrSelectStack(
    {
      stackName: environment,
      projectName: "onesignal-bootstrap",
      program: environmentProgram(environment, { siteUrl }),
    },
    { workDir: __dirname },
  );
  // Pulumi's progress goes to standard error; standard output is for what a service needs.
  const onOutput = (text: string) => process.stderr.write(text);

  if (values.destroy) {
    const before = await stack.outputs();
    await stack.destroy({ onOutput });
    await stack.workspace.removeStack(environment);
    const appId = before.appId?.value;
    process.stderr.write(
      `\nEnvironment "${environment}" destroyed.` +
        (appId
          ? ` Its app ${appId} was kept: OneSignal's API cannot delete apps (delete it in the dashboard).\n`
          : "\n"),
    );
    return 0;
  }

  const result = await stack.up({ onOutput });
  const changes = result.summary.resourceChanges ?? {};
  const changed = Object.entries(changes).filter(([kind, count]) => kind !== "same" && count > 0);
  process.stderr.write(
    `\nEnvironment "${environment}": ${changed.length === 0 ? "already up to date" : changed.map(([kind, count]) => `${count} ${kind}`).join(", ")}.\n`,
  );
  const appId = String(result.outputs.appId?.value ?? "");
  const apiKey = String(result.outputs.apiKey?.value ?? "");
  process.stdout.write(`ONESIGNAL_APP_ID=${appId}\n`);
  if (values["key-file"]) {
    const file = values["key-file"];
    // A new file beside it, then renamed into place: a link planted at FILE is replaced, never followed, and no
    // reader ever sees the key with other permissions or half written.
    const temporary = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
    writeFileSync(temporary, `${apiKey}\n`, { mode: 0o600, flag: "wx" });
    renameSync(temporary, file);
    process.stderr.write(`The app API key is in ${file} (mode 0600).\n`);
  } else if (values["print-key"]) {
    process.stdout.write(`ONESIGNAL_APP_API_KEY=${apiKey}\n`);
  } else {
    process.stderr.write("The app API key was not printed: use --key-file FILE (mode 0600) or --print-key.\n");
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bootstrap: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
