/**
 * Finds the Pulumi CLI a project runs with: the `pulumi` on PATH, with what its programs need beside it.
 * (This repository's scripts also build one with Go: scripts/pulumi/build-cli.ts.)
 */
import { accessSync, constants, existsSync } from "node:fs";
import * as path from "node:path";

/** Where a working CLI was found. */
export interface PulumiCli {
  /** Absolute path of the `pulumi` binary. */
  cli: string;
  /**
   * Directories to put first on PATH: the CLI's, with the dynamic-provider shim beside it as in a
   * Pulumi install (or `@pulumi/pulumi`'s own copy where the CLI lacks one).
   */
  pathDirs: string[];
  /** Whether a Node.js language host is on that PATH; without one, programs run inline. */
  languageHost: boolean;
  /** Whether the YAML language host is on that PATH, so that `runtime: yaml` programs run. */
  yamlHost: boolean;
  /** How it was found. */
  source: "path" | "cache" | "built";
}

/** Why no CLI could be had, said so that a person knows what to do. */
export class PulumiCliUnavailable extends Error {
  override name = "PulumiCliUnavailable";
}

/** The executable `name` on a PATH-like list, if any. */
export function onPath(name: string, searchPath = process.env.PATH ?? ""): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** The dynamic-provider shim a Pulumi install has beside its CLI, and `@pulumi/pulumi` ships a copy of. */
export const DYNAMIC_PROVIDER_SHIM = "pulumi-resource-pulumi-nodejs";

/**
 * The directories to put first on PATH for `cli`: its own, the SDK's (for its dynamic-provider shim)
 * where the CLI has none beside it, then `extra`.
 */
export function pathDirsFor(cli: string, sdkDir: string, extra: string[] = []): string[] {
  const dir = path.dirname(cli);
  return [...(existsSync(path.join(dir, DYNAMIC_PROVIDER_SHIM)) ? [dir] : [dir, sdkDir]), ...extra];
}

/** What `cli` can run with `dirs` first on the PATH `searchPath`. */
export function describeCli(cli: string, dirs: string[], searchPath: string, source: PulumiCli["source"]): PulumiCli {
  const all = [...dirs, searchPath].join(path.delimiter);
  return {
    cli,
    pathDirs: dirs,
    languageHost: onPath("pulumi-language-nodejs", all) !== undefined,
    yamlHost: onPath("pulumi-language-yaml", all) !== undefined,
    source,
  };
}

/**
 * The `pulumi` on `searchPath`, for a project whose `@pulumi/pulumi` is found from `projectDir`.
 * Throws {@link PulumiCliUnavailable}, saying how to install one, where there is none.
 */
export function pulumiOnPath(projectDir: string, searchPath = process.env.PATH ?? ""): PulumiCli {
  const cli = onPath("pulumi", searchPath);
  if (!cli) {
    throw new PulumiCliUnavailable(
      "No `pulumi` on PATH: install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/) and put it on PATH.",
    );
  }
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [projectDir, __dirname] }));
  return describeCli(cli, pathDirsFor(cli, sdkDir), searchPath, "path");
}
