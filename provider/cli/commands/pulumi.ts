import type { Command } from "commander";
import { pulumiOnPath } from "../../runner/find-cli";
import { runPulumiCommand } from "../../runner/pulumi-command";

/**
 * `pulumi-onesignal pulumi ARGS`: `pulumi ARGS` with the Pulumi CLI on PATH, where `preview`, `up`, `refresh`
 * and `destroy` of a Node.js project run its program inline when the CLI has no Node.js language host
 * (`no language plugin 'pulumi-language-nodejs' found`). Every other command is the real CLI's.
 */
export function registerPulumiCommand(program: Command): void {
  // Flags after `pulumi` are the Pulumi CLI's, not ours.
  program.enablePositionalOptions();
  program
    .command("pulumi")
    .description(
      "run `pulumi ARGS` with the Pulumi CLI on PATH; up, preview, refresh and destroy of a Node.js project work without its Node.js language host",
    )
    .usage("<pulumi command> [pulumi flags]")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .passThroughOptions()
    .argument("[args...]")
    .action(async (args: string[]) => {
      const cli = pulumiOnPath(process.cwd());
      process.exitCode = await runPulumiCommand(args, { cli, prefix: "pulumi-onesignal pulumi" });
    });
}
