/**
 * `pulumi ARGS` for a machine without the Node.js language host: the real CLI for every command, except
 * that `preview`, `up`, `refresh` and `destroy` of a project run its program as an Automation API inline
 * program (see project.ts), with the same engine, state and secrets. Pipeline scripts written for
 * `pulumi` then run unchanged. Where the language host exists, every command is the real CLI's.
 *
 * Only the flags that pipelines use are understood for an inline run; any other is refused (exit 2),
 * never ignored, since ignoring `--target` or `--refresh` would do something other than what was asked.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import type { PulumiCli } from "./find-cli";
import { type Operation, ProjectRunError, runProject } from "./project";

const RUN_COMMANDS: Record<string, Operation> = {
  preview: "preview",
  up: "up",
  update: "up",
  refresh: "refresh",
  destroy: "destroy",
};
const VALUE_FLAGS = new Set(["--stack", "-s", "--cwd", "-C", "--color", "--policy-pack"]);
const SWITCHES = new Set([
  "--yes",
  "-y",
  "--diff",
  "--skip-preview",
  "-f",
  "--non-interactive",
  "--suppress-progress",
  // A drift check's: `preview --refresh --expect-no-changes`.
  "--refresh",
  "-r",
  "--expect-no-changes",
]);

/** A refusal of the command line: its message, and the exit code `pulumi` gives for it. */
class Refusal extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** Options of {@link runPulumiCommand}. */
export interface PulumiCommandOptions {
  /** The real CLI. */
  cli: PulumiCli;
  /** The PATH the real CLI and its plugins see after the CLI's own directories. */
  searchPath?: string;
  /** Where messages go (default standard error), each prefixed with `prefix`. */
  prefix?: string;
}

/** Runs `pulumi argv` as described above; resolves to the exit code. */
export async function runPulumiCommand(argv: string[], options: PulumiCommandOptions): Promise<number> {
  const { cli } = options;
  const prefix = options.prefix ?? "pulumi (inline)";
  const searchPath = options.searchPath ?? process.env.PATH ?? "";
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
  try {
    const { cwd, stack, yes, refresh, expectNoChanges, policyPacks } = inlineFlags(argv, command as string);
    if ((refresh || expectNoChanges || policyPacks.length > 0) && operation !== "preview" && operation !== "up") {
      throw new Refusal(`--refresh, --expect-no-changes and --policy-pack are for preview and up, not ${command}`, 2);
    }
    if (operation !== "preview" && !yes) {
      throw new Refusal(
        `--yes must be passed in to proceed when running in non-interactive mode (pulumi ${command})`,
        1,
      );
    }
    const selected =
      stack ??
      (() => {
        const shown = spawnSync(cli.cli, ["stack", "--show-name"], { cwd, encoding: "utf8" });
        if (shown.status !== 0) throw new Refusal("no stack selected: pass --stack, or `pulumi stack select` one", 1);
        return shown.stdout.trim();
      })();
    const result = await runProject({
      projectDir: cwd,
      stack: selected,
      operation,
      cli,
      inPlace: true,
      refresh,
      expectNoChanges,
      policyPacks,
      onOutput: (text) => process.stdout.write(text),
    });
    return result.diagnostics.some((diagnostic) => diagnostic.severity === "error") ? 1 : 0;
  } catch (error) {
    if (error instanceof Refusal) {
      process.stderr.write(`${prefix}: ${error.message}\n`);
      return error.code;
    }
    if (error instanceof ProjectRunError) {
      process.stderr.write(`${prefix}: ${command} failed:\n${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/**
 * The flags of an inline run: the project directory, the stack, whether `--yes` was given, a drift check's flags, and
 * the policy packs to enforce.
 */
function inlineFlags(
  argv: string[],
  command: string,
): {
  cwd: string;
  stack: string | undefined;
  yes: boolean;
  refresh: boolean;
  expectNoChanges: boolean;
  policyPacks: string[];
} {
  const flags = new Map<string, string | true>();
  const policyPacks: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === command) continue;
    const [name, inline] = arg.startsWith("--") && arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    if (VALUE_FLAGS.has(name as string)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Refusal(`${name} needs a value`, 2);
      if (name === "--policy-pack") policyPacks.push(path.resolve(value));
      else flags.set(name as string, value);
    } else if (SWITCHES.has(name as string)) flags.set(name as string, true);
    else throw new Refusal(`${arg} is not supported for an inline ${command} (no Node.js language host here)`, 2);
  }
  return {
    cwd: path.resolve(String(flags.get("--cwd") ?? flags.get("-C") ?? ".")),
    stack: (flags.get("--stack") ?? flags.get("-s")) as string | undefined,
    yes: ["--yes", "-y", "--skip-preview", "-f"].some((flag) => flags.has(flag)),
    refresh: flags.has("--refresh") || flags.has("-r"),
    expectNoChanges: flags.has("--expect-no-changes"),
    policyPacks,
  };
}
