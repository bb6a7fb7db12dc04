/**
 * The `pulumi` of scripts/bin, for this repository's pipeline tests: the package's own
 * `pulumi-onesignal pulumi` (provider/runner/pulumi-command.ts), with the CLI this repository finds
 * or built (scripts/pulumi/find-or-build-cli.ts) rather than only one on PATH.
 */
import * as path from "node:path";
import { runPulumiCommand } from "../provider/runner/pulumi-command";
import { findPulumiCli } from "./pulumi/find-or-build-cli";

async function main(argv: string[]): Promise<number> {
  // This shim's own directory leaves the PATH, so that the real CLI is found rather than the shim.
  const ownDir = path.join(__dirname, "bin");
  const searchPath = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => path.resolve(dir) !== ownDir)
    .join(path.delimiter);
  const cli = await findPulumiCli({ searchPath, build: false });
  return runPulumiCommand(argv, { cli, searchPath });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`pulumi (inline): ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
