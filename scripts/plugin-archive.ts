/**
 * `npm run -s plugin:archive [-- --out DIR] [--tarball FILE]`: builds the provider plugin's release archive,
 * `pulumi-resource-onesignal-v<version>-<os>-<arch>.tar.gz`, for `pulumi plugin install resource onesignal
 * v<version> --file <archive>` or a `plugins:` entry in `Pulumi.yaml`.
 *
 * The archive holds the packed package with its production dependencies (the Pulumi SDK among them) and
 * a `pulumi-resource-onesignal` launcher; it needs Node.js 20 or newer on the machine that runs it. The code
 * is plain JavaScript, so the os and arch in the name are those Pulumi asks for, not a build target.
 * Prints the archive's path as its last line.
 */
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Command } from "commander";
import { pulumiSdkVersion } from "./pulumi/cache";

const ROOT = path.resolve(__dirname, "..");

/** The archive's file name for this package version on this machine, as Pulumi names plugins. */
export function archiveName(version: string, platform = process.platform, arch = process.arch): string {
  const os = platform === "win32" ? "windows" : platform;
  const cpu = arch === "x64" ? "amd64" : arch;
  return `pulumi-resource-onesignal-v${version}-${os}-${cpu}.tar.gz`;
}

/** The launcher the engine runs: Node.js on the package's plugin entry, beside it in the archive. */
const LAUNCHER = `#!/bin/sh
# The OneSignal provider plugin for Pulumi; needs Node.js 20 or newer on PATH.
exec node "$(dirname "$0")/node_modules/pulumi-onesignal/dist/provider/plugin/main.js" "$@"
`;

/** Builds the archive into `outDir` and returns its path. */
export function buildArchive(
  outDir: string,
  tarball?: string,
  log = (line: string) => process.stderr.write(`${line}\n`),
): string {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    version: string;
    devDependencies: Record<string, string>;
  };
  const work = mkdtempSync(path.join(tmpdir(), "pulumi-onesignal-plugin-"));
  try {
    let packed = tarball;
    if (!packed) {
      log("Packing the package (npm pack)...");
      execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", work], { cwd: ROOT, stdio: "ignore" });
      const file = readdirSync(work).find((name) => name.endsWith(".tgz"));
      if (!file) throw new Error("npm pack made no tarball");
      packed = path.join(work, file);
    }
    const stage = path.join(work, "plugin");
    mkdirSync(stage);
    const sdk = pulumiSdkVersion();
    writeFileSync(
      path.join(stage, "package.json"),
      JSON.stringify(
        {
          name: "pulumi-resource-onesignal",
          version: manifest.version,
          private: true,
          dependencies: { "pulumi-onesignal": `file:${path.resolve(packed)}`, "@pulumi/pulumi": sdk },
        },
        null,
        2,
      ),
    );
    log(`Installing the package and @pulumi/pulumi ${sdk} (npm install --omit=dev)...`);
    execFileSync("npm", ["install", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline"], {
      cwd: stage,
      stdio: "ignore",
    });
    writeFileSync(path.join(stage, "pulumi-resource-onesignal"), LAUNCHER);
    chmodSync(path.join(stage, "pulumi-resource-onesignal"), 0o755);
    copyFileSync(path.join(ROOT, "LICENSE"), path.join(stage, "LICENSE"));
    mkdirSync(outDir, { recursive: true });
    const archive = path.join(path.resolve(outDir), archiveName(manifest.version));
    execFileSync("tar", ["-czf", archive, "-C", stage, "."], { stdio: "ignore" });
    log(`Built ${archive}`);
    return archive;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const options = new Command("plugin:archive")
    .description("Builds the provider plugin's release archive for `pulumi plugin install`.")
    .option("--out <dir>", "where to write it", path.join(ROOT, "dist", "release"))
    .option("--tarball <file>", "an npm pack tarball of this package (default: pack it now)")
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .parse(process.argv)
    .opts<{ out: string; tarball?: string }>();
  process.stdout.write(`${buildArchive(options.out, options.tarball)}\n`);
}
