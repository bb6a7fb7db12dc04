import type { Command } from "commander";
import { pulumiOnPath } from "../../runner/find-cli";
import { runPulumiCommand } from "../../runner/pulumi-command";
import { UsageError } from "../shared";

/**
 * `pulumi-onesignal pulumi ARGS`: `pulumi ARGS` with the Pulumi CLI on PATH, where `preview`, `up`, `refresh`
 * and `destroy` of a Node.js project run its program inline when the CLI has no Node.js language host
 * (`no language plugin 'pulumi-language-nodejs' found`). Every other command is the real CLI's.
 *
 * Its arguments are Pulumi's, untouched (`--json`, `--yes`...), so the entry point hands them over before
 * our own options are parsed; the command is registered here for `--help`.
 */
export function registerPulumiCommand(program: Command): void {
  program
    .command("pulumi")
    .description(
      "run `pulumi ARGS` with the Pulumi CLI on PATH; up, preview, refresh and destroy of a Node.js project work without its Node.js language host",
    )
    .usage("<pulumi command> [pulumi flags]")
    .allowUnknownOption()
    .allowExcessArguments()
    .argument("[args...]")
    .action(async (args: string[]) => {
      // Our flags before `pulumi` (`--json pulumi up`) would be dropped without a word: they are refused instead.
      // In the order given, each by its own long name.
      const flags = Object.keys(program.opts())
        .filter((name) => program.getOptionValueSource(name) === "cli")
        .map((name) => program.options.find((option) => option.attributeName() === name)?.long ?? name);
      if (flags.length > 0) {
        throw new UsageError(
          `${flags.join(", ")} before \`pulumi\` would not reach Pulumi: put Pulumi's flags after it ` +
            "(`pulumi-onesignal pulumi preview --json`); the stack's onesignal:* config gives the API URL and keys.",
        );
      }
      process.exitCode = await runPulumi(args);
    });
}

/** Runs `pulumi args` as described above; resolves to the exit code. */
export function runPulumi(args: string[]): Promise<number> {
  return runPulumiCommand(args, { cli: pulumiOnPath(process.cwd()), prefix: "pulumi-onesignal pulumi" });
}
