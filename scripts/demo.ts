/**
 * `npm run demo`: starts the OneSignal emulator and deploys the root project (the quickstart) to it
 * with the real Pulumi engine. State (the stack's and the emulator's) lives in .pulumi-state/ (or
 * `--state DIR`), so the second run changes nothing, and `npm run demo -- --set quickstart:siteName="My shop"`
 * updates exactly that. `--destroy` tears the stack down.
 */
import * as path from "node:path";
import { startEmulator } from "../emulator/server";
import { PulumiCliUnavailable } from "../provider/runner/find-cli";
import { type ConfigValue, ProjectRunError, runProject } from "../provider/runner/project";
import { findPulumiCli } from "./pulumi/find-or-build-cli";

const ROOT = path.resolve(__dirname, "..");
const STACK = "demo";

function say(line = ""): void {
  process.stdout.write(`${line}\n`);
}

/** `--set key=value` pairs, `--state DIR` and `--destroy` from the command line. */
function parseArgs(argv: string[]): { config: Record<string, string>; destroy: boolean; stateDir: string } {
  const config: Record<string, string> = {};
  let destroy = false;
  let stateDir = path.join(ROOT, ".pulumi-state");
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--destroy") destroy = true;
    else if (arg === "--state") stateDir = path.resolve(argv[++i] ?? "");
    else if (arg === "--set" || arg.startsWith("--set=")) {
      const pair = arg === "--set" ? (argv[++i] ?? "") : arg.slice("--set=".length);
      const at = pair.indexOf("=");
      if (at <= 0) throw new Error(`--set needs KEY=VALUE (e.g. --set quickstart:siteName="My shop"), got "${pair}"`);
      config[pair.slice(0, at)] = pair.slice(at + 1);
    } else throw new Error(`unknown argument "${arg}"; use --set KEY=VALUE, --state DIR or --destroy`);
  }
  return { config, destroy, stateDir };
}

/** A path as short as it can be shown: relative to the repository when inside it. */
function shown(dir: string): string {
  const relative = path.relative(ROOT, dir);
  return relative.startsWith("..") ? dir : relative;
}

function describeChanges(changes: Record<string, number>): string {
  const words: Record<string, string> = {
    create: "created",
    update: "updated",
    replace: "replaced",
    delete: "deleted",
    same: "unchanged",
  };
  const order = Object.keys(words);
  const rank = (kind: string) => (order.includes(kind) ? order.indexOf(kind) : order.length);
  const parts = Object.entries(changes)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([kind, count]) => `${count} ${words[kind] ?? kind}`);
  return parts.join(", ") || "nothing to do";
}

async function main(): Promise<number> {
  const { config, destroy, stateDir } = parseArgs(process.argv.slice(2));
  say("pulumi-onesignal demo: the quickstart (examples/quickstart) deployed to a local OneSignal emulator.");
  const started = Date.now();
  let cli: Awaited<ReturnType<typeof findPulumiCli>>;
  try {
    cli = await findPulumiCli({ log: (line) => say(line) });
  } catch (error) {
    if (!(error instanceof PulumiCliUnavailable)) throw error;
    process.stderr.write(`${error.message}\nThen run \`npm run demo\` again.\n`);
    return 1;
  }
  const source = { path: "on PATH", cache: "built earlier", built: "built just now" }[cli.source];
  say(
    `Pulumi CLI: ${cli.cli} (${source}${cli.source === "built" ? `, in ${Math.round((Date.now() - started) / 1000)} s` : ""}).`,
  );
  say(
    cli.languageHost
      ? "The program runs under the Node.js language host, as `pulumi up` runs it."
      : "No Node.js language host here: the program runs as an Automation API inline program (same engine, same state).",
  );

  const emulator = await startEmulator({ port: 0, dataFile: path.join(stateDir, "emulator.json") });
  say(`OneSignal emulator listening on ${emulator.url} (its data: ${path.join(shown(stateDir), "emulator.json")}).`);
  say(
    `Stack "${STACK}": state in ${path.join(shown(stateDir), "backend")} (a file:// backend), secrets under a local passphrase.`,
  );
  // The emulator's port changes from run to run. `pulumi destroy` and `refresh` use the provider settings
  // stored at the last `up`, so the URL goes in ONESIGNAL_API_URL, which every operation reads afresh;
  // the organization key is kept in the emulator's data, so stack config holds it (encrypted).
  const stackConfig: Record<string, ConfigValue> = {
    "onesignal:organizationApiKey": { value: emulator.organizationApiKey, secret: true },
    ...config,
  };
  try {
    const operation = destroy ? "destroy" : "up";
    say(
      `\n$ pulumi ${operation} --stack ${STACK}${Object.keys(config).length ? ` (with ${Object.keys(config).join(", ")})` : ""}`,
    );
    const result = await runProject({
      projectDir: ROOT,
      stack: STACK,
      operation,
      cli,
      stateDir: stateDir,
      config: stackConfig,
      env: { ONESIGNAL_API_URL: emulator.url },
      onOutput: (text) => process.stdout.write(text),
    });
    say(`\nResult: ${describeChanges(result.changes)}.`);
    for (const [name, output] of Object.entries(result.outputs)) {
      say(`  ${name}: ${output.secret ? "[secret]" : JSON.stringify(output.value)}`);
    }
    say(
      destroy
        ? "\nDestroyed. Run `npm run demo` to deploy again."
        : "\nRun `npm run demo` again: nothing changes. Change a value and only that changes, e.g.\n" +
            '  npm run demo -- --set quickstart:siteName="My shop"\n' +
            "Tear it down with `npm run demo -- --destroy`.",
    );
    return 0;
  } catch (error) {
    if (error instanceof ProjectRunError) {
      process.stderr.write(`\nThe deployment failed:\n${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await emulator.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
