/**
 * The Pulumi CLI for the demo, the e2e tier and the scripts: the one on PATH wins; else the cached build
 * (cache.ts); else, where Go is installed, one built now (build-cli.ts) and reused from then on. The YAML
 * language host is built beside it where it is missing. The package's own finder, which only looks on
 * PATH, is provider/runner/find-cli.ts.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { describeCli, onPath, type PulumiCli, PulumiCliUnavailable } from "../../provider/runner/find-cli";
import { buildCli, buildYamlHost, placeShim } from "./build-cli";
import { cliBinDir, pathDirsFor, pulumiSdkVersion } from "./cache";

/** Options of {@link findPulumiCli}. */
export interface FindOptions {
  /** Build with Go when there is no CLI (default true). */
  build?: boolean;
  /** Progress lines go here (default standard error). */
  log?: (line: string) => void;
  /** The PATH to search (default the process's). */
  searchPath?: string;
}

/**
 * A working Pulumi CLI: the one on PATH, the cached build, or a new build (minutes, once per machine).
 * Throws {@link PulumiCliUnavailable} with what to install when there is none.
 */
export async function findPulumiCli(options: FindOptions = {}): Promise<PulumiCli> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const searchPath = options.searchPath ?? process.env.PATH ?? "";
  const go = onPath("go", searchPath);
  const build = options.build !== false;
  const existing = onPath("pulumi", searchPath);
  let cli: string;
  let source: PulumiCli["source"];
  if (existing) {
    cli = existing;
    source = "path";
  } else {
    const version = `v${pulumiSdkVersion()}`;
    const bin = cliBinDir(version);
    cli = path.join(bin, "pulumi");
    source = "cache";
    if (!existsSync(cli)) {
      if (!go || !build) throw new PulumiCliUnavailable(unavailableMessage(go !== undefined));
      await buildCli(go, version, path.dirname(bin), log);
      source = "built";
    }
    placeShim(bin);
  }
  if (go && build && !onPath("pulumi-language-yaml", [...pathDirsFor(cli), searchPath].join(path.delimiter))) {
    await buildYamlHost(go, log).catch((error: unknown) => {
      // YAML programs need it; TypeScript programs do not: say so and go on.
      log(`The YAML language host could not be built, so \`runtime: yaml\` programs will not run: ${String(error)}`);
    });
  }
  return describeCli(cli, pathDirsFor(cli), searchPath, source);
}

/** What to do without a CLI, with Go (`npm run pulumi:cli` builds one) or without. */
function unavailableMessage(go: boolean): string {
  return [
    go ? "No `pulumi` on PATH and no cached build." : "No `pulumi` on PATH, and no Go to build one.",
    "Install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/), for example:",
    "    curl -fsSL https://get.pulumi.com | sh",
    go
      ? "or run `npm run pulumi:cli` to build it with Go (several minutes, once)."
      : "or install Go 1.25 or newer, and `npm run pulumi:cli` builds the CLI from the Go module proxy (several minutes, once).",
  ].join("\n");
}
