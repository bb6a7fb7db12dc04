/**
 * `npm run demo`: starts the OneSignal emulator and deploys the root project (the quickstart) to it
 * with `pulumi up`, using a local state backend in .pulumi-state/ (no login). Both the emulator's data
 * and the stack's state persist there, so a second run shows an update with no changes.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../emulator/server";

const ROOT = path.resolve(__dirname, "..");
const STATE_DIR = path.join(ROOT, ".pulumi-state");
const STACK = "demo";

/** The Pulumi CLI from `npm run pulumi:cli`: the one on PATH, or one built with Go. */
function findPulumi(): { path?: string; problem?: string } {
  const script = path.join(ROOT, "scripts", "pulumi-cli.ts");
  const result = spawnSync(process.execPath, ["--require", path.join(ROOT, "scripts", "ts-register.cjs"), script], {
    cwd: ROOT,
    encoding: "utf8",
    // Its progress (a Go build takes minutes the first time) goes straight to the terminal.
    stdio: ["ignore", "pipe", "inherit"],
  });
  const last = result.stdout.trim().split("\n").at(-1);
  if (result.status === 0 && last) return { path: last };
  return { problem: "npm run pulumi:cli could not find or build one (see above)." };
}

function run(pulumi: string, args: string[], env: NodeJS.ProcessEnv, input?: string): void {
  process.stdout.write(`\n$ pulumi ${args.join(" ")}\n`);
  const result = spawnSync(pulumi, args, {
    cwd: ROOT,
    env,
    stdio: [input === undefined ? "inherit" : "pipe", "inherit", "inherit"],
    input,
  });
  if (result.status !== 0) throw new Error(`pulumi ${args[0]} failed (exit ${result.status})`);
}

async function main(): Promise<number> {
  const found = findPulumi();
  const pulumi = found.path;
  if (!pulumi) {
    process.stderr.write(
      [
        "The demo deploys the quickstart with the Pulumi CLI, and none could be found or built:",
        `  ${(found.problem ?? "").split("\n").join("\n  ")}`,
        "Install it (https://www.pulumi.com/docs/iac/download-install/), for example:",
        "    curl -fsSL https://get.pulumi.com | sh",
        "then run `npm run demo` again.",
        "Without the CLI you can still run the emulator (`npm run emulator`) and the test suite (`npm test`),",
        "which drives the same program through Pulumi's real dynamic-provider host.",
        "",
      ].join("\n"),
    );
    return 1;
  }

  mkdirSync(STATE_DIR, { recursive: true });
  const emulator = await startEmulator({ port: 0, dataFile: path.join(STATE_DIR, "emulator.json") });
  process.stdout.write(`OneSignal emulator listening on ${emulator.url}\n`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // The language host and the dynamic-provider shim sit beside a CLI built by pulumi:cli.
    PATH: `${path.dirname(pulumi)}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_BACKEND_URL: `file://${STATE_DIR}`,
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "pulumi-onesignal-demo",
    PULUMI_SKIP_UPDATE_CHECKS: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
  };
  try {
    const selected = spawnSync(pulumi, ["stack", "select", STACK], { cwd: ROOT, env, stdio: "ignore" });
    if (selected.status !== 0) run(pulumi, ["stack", "init", STACK], env);
    run(pulumi, ["config", "set", "onesignal:apiUrl", emulator.url], env);
    // The key goes in on stdin, so it never shows in a process list or in this output.
    run(pulumi, ["config", "set", "--secret", "onesignal:organizationApiKey"], env, emulator.organizationApiKey);
    run(pulumi, ["up", "--yes"], env);
    run(pulumi, ["stack", "output"], env);
    process.stdout.write(
      `\nDone. The stack state and the emulator's data are in ${path.relative(ROOT, STATE_DIR)}/; run the demo again to see a no-op update.\n`,
    );
    return 0;
  } finally {
    await emulator.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
