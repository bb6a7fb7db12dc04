/**
 * The `pulumi` of scripts/pulumi/bin: the real CLI for every command, except that `preview`, `up`,
 * `refresh` and `destroy` of a project run its program as an Automation API inline program where no
 * Node.js language host exists. Pipeline scripts written for `pulumi` then run unchanged here.
 *
 * Only the flags that pipelines use are understood; any other is refused (exit 2), never ignored,
 * since ignoring `--target` or `--refresh` would do something other than what the script says.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { findPulumiCli } from "./cli";
import { type Operation, ProjectRunError, runProject } from "./project";

const RUN_COMMANDS: Record<string, Operation> = {
  preview: "preview",
  up: "up",
  update: "up",
  refresh: "refresh",
  destroy: "destroy",
};
const VALUE_FLAGS = new Set(["--stack", "-s", "--cwd", "-C", "--color"]);
const SWITCHES = new Set(["--yes", "-y", "--diff", "--skip-preview", "-f", "--non-interactive", "--suppress-progress"]);

function fail(message: string, code: number): never {
  process.stderr.write(`pulumi (inline): ${message}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<number> {
  const ownDir = path.join(__dirname, "bin");
  const searchPath = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => path.resolve(dir) !== ownDir)
    .join(path.delimiter);
  const cli = await findPulumiCli({ searchPath, build: false });
  const command = argv.find((arg, index) => !arg.startsWith("-") && !VALUE_FLAGS.has(argv[index - 1] ?? ""));
  // An Automation API program (`--client`: its language runtime is already served) needs the real CLI as it is.
  const automation = argv.some((arg) => arg === "--client" || arg.startsWith("--client="));
  const operation = command && !automation ? RUN_COMMANDS[command] : undefined;
  if (!operation || cli.languageHost) {
    const result = spawnSync(cli.cli, argv, {
      stdio: "inherit",
      env: { ...process.env, PATH: [...cli.pathDirs, searchPath].join(path.delimiter) },
    });
    return result.status ?? 1;
  }

  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === command) continue;
    const [name, inline] = arg.startsWith("--") && arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    if (VALUE_FLAGS.has(name as string))
      flags.set(name as string, inline ?? argv[++i] ?? fail(`${name} needs a value`, 2));
    else if (SWITCHES.has(name as string)) flags.set(name as string, true);
    else fail(`${arg} is not supported for an inline ${command} (no Node.js language host here)`, 2);
  }
  const yes = flags.has("--yes") || flags.has("-y") || flags.has("--skip-preview") || flags.has("-f");
  if (operation !== "preview" && !yes) {
    fail(`--yes must be passed in to proceed when running in non-interactive mode (pulumi ${command})`, 1);
  }
  const cwd = path.resolve(String(flags.get("--cwd") ?? flags.get("-C") ?? "."));
  let stack = (flags.get("--stack") ?? flags.get("-s")) as string | undefined;
  if (!stack) {
    const selected = spawnSync(cli.cli, ["stack", "--show-name"], { cwd, encoding: "utf8" });
    stack = selected.status === 0 ? selected.stdout.trim() : fail("no stack selected: pass --stack", 1);
  }
  try {
    const result = await runProject({
      projectDir: cwd,
      stack,
      operation,
      cli,
      inPlace: true,
      onOutput: (text) => process.stdout.write(text),
    });
    return result.diagnostics.some((diagnostic) => diagnostic.severity === "error") ? 1 : 0;
  } catch (error) {
    if (error instanceof ProjectRunError) fail(`${command} failed:\n${error.message}`, 1);
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => fail(error instanceof Error ? error.message : String(error), 1),
);
