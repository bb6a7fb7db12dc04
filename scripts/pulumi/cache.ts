/**
 * Where this repository keeps the Pulumi CLI and the YAML language host it builds with Go (a cache shared
 * by every clone on the machine), and the SDK version they match. Finding (find-or-build-cli.ts), building
 * (build-cli.ts) and the e2e tier's look-up (test/support/pulumi.ts) all read these.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { pathDirsFor as runnerPathDirs } from "../../provider/runner/find-cli";

const ROOT = path.resolve(__dirname, "../..");

/** The version of the YAML language host built for `runtime: yaml` programs (it has its own releases). */
export const PULUMI_YAML_VERSION = "v1.25.0";

/** The installed `@pulumi/pulumi` version, which the built CLI matches. */
export function pulumiSdkVersion(): string {
  const file = require.resolve("@pulumi/pulumi/package.json", { paths: [ROOT] });
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

/** The directory of the `@pulumi/pulumi` package, which holds the `pulumi-resource-pulumi-nodejs` shim. */
export function pulumiSdkDir(from = ROOT): string {
  return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [from] }));
}

/** The cache of built CLIs: PULUMI_ONESIGNAL_CACHE_DIR, else the user's cache directory. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PULUMI_ONESIGNAL_CACHE_DIR) return path.resolve(env.PULUMI_ONESIGNAL_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(homedir(), ".cache");
  return path.join(base, "pulumi-onesignal");
}

/** The `bin` directory of the CLI built at `version` (`v3.x.y`): it holds `pulumi` once built. */
export function cliBinDir(version: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheDir(env), "pulumi-cli", version, "bin");
}

/** Where the YAML language host is built (it has no place in a Pulumi install of its own here). */
export function yamlHostDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheDir(env), "pulumi-language-yaml", PULUMI_YAML_VERSION, "bin");
}

/** The CLI's directory, the SDK's shim where the CLI has none beside it, and the built YAML host where there is one. */
export function pathDirsFor(cli: string): string[] {
  const yaml = yamlHostDir();
  return runnerPathDirs(cli, pulumiSdkDir(), existsSync(path.join(yaml, "pulumi-language-yaml")) ? [yaml] : []);
}
