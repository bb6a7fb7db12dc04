/**
 * Generates the Python and Go SDKs (`sdk/python`, `sdk/go`) from the provider plugin's schema with Pulumi's own
 * generators (`pkg/v3` codegen/python and codegen/go, through scripts/sdk-generator/main.go, built with Go once per
 * Pulumi version and generator source into the user's cache). The SDKs are never edited by hand.
 *
 *   npm run -s sdk              write sdk/python and sdk/go
 *   npm run -s sdk -- --check   exit 1, naming the files, when they differ from what the schema generates
 */

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { onPath } from "../provider/runner/find-cli";
import { cacheDir, pulumiSdkVersion } from "./pulumi/cache";
import { compile, goCommand } from "./pulumi/go-build";
import { GO_MODULE_PATH, SCHEMA_FILE } from "./schema";

const ROOT = path.resolve(__dirname, "..");
/** Where the SDKs live in the repository. */
export const SDK_DIR = path.join(ROOT, "sdk");
const GENERATOR_SOURCE = path.join(ROOT, "scripts", "sdk-generator", "main.go");

/** The generator binary for this Pulumi version and generator source: the cached one, or one built now. */
export async function generatorBinary(log: (line: string) => void): Promise<string> {
  const go = onPath("go");
  if (!go) throw new Error("Generating the SDKs needs Go 1.25 or newer on PATH (Pulumi's generators are Go code).");
  const version = `v${pulumiSdkVersion()}`;
  const source = readFileSync(GENERATOR_SOURCE, "utf8");
  const digest = createHash("sha256").update(version).update(source).digest("hex").slice(0, 12);
  const dir = path.join(cacheDir(), "sdk-generator", digest);
  const binary = path.join(dir, "sdk-generator");
  if (existsSync(binary)) return binary;
  log(`Building the SDK generator with Go (pkg/v3 ${version}; once per version, a minute on a warm Go cache).`);
  const work = path.join(dir, "build");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(
    path.join(work, "go.mod"),
    [
      "module pulumi-onesignal-sdk-generator",
      "",
      "go 1.25",
      "",
      `require github.com/pulumi/pulumi/pkg/v3 ${version}`,
      `require github.com/pulumi/pulumi/sdk/v3 ${version}`,
      "",
    ].join("\n"),
  );
  writeFileSync(path.join(work, "main.go"), source);
  await goCommand(go, ["mod", "tidy"], work, () => {});
  await compile(go, ".", binary, "", work, log);
  return binary;
}

/** The plugin's schema as the file holds it. */
export function schemaOfFile(): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as Record<string, unknown>;
}

/** The schema as the generators take it: with the package's version, as the plugin serves it. */
function versionedSchema(schema: Record<string, unknown>): string {
  const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
  return JSON.stringify({ ...schema, version }, null, 2);
}

/**
 * The go.mod of the Go SDK, which Go's generator leaves to the caller: the module and the Pulumi SDK it needs, so
 * that a program's `replace` to `sdk/go` is enough.
 */
function goMod(): string {
  return `module ${GO_MODULE_PATH}\n\ngo 1.25\n\nrequire github.com/pulumi/pulumi/sdk/v3 v${pulumiSdkVersion()}\n`;
}

/** Generates both SDKs from `schema` (the plugin's) into `out` (`out/python`, `out/go`). */
export async function generateSdks(
  out: string,
  log: (line: string) => void,
  schema: Record<string, unknown> = schemaOfFile(),
): Promise<void> {
  const binary = await generatorBinary(log);
  const work = mkdtempSync(path.join(tmpdir(), "onesignal-sdk-"));
  try {
    const schemaFile = path.join(work, "schema.json");
    writeFileSync(schemaFile, versionedSchema(schema));
    const generated = spawnSync(binary, [schemaFile, out], { encoding: "utf8" });
    if (generated.status !== 0) {
      throw new Error(`the SDK generator failed (exit ${generated.status}): ${generated.stderr.trim()}`);
    }
    writeFileSync(path.join(out, "go", "go.mod"), goMod());
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** What building or running an SDK leaves beside it (the generated .gitignore files name them): never compared. */
const BUILD_LEFTOVERS = /^(build|dist|__pycache__|\.mypy_cache)$|\.egg-info$|\.pyc$/;

/** Every file under `dir` but build leftovers, as paths relative to it, sorted. */
function filesUnder(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !BUILD_LEFTOVERS.test(name))
    .flatMap((name) => {
      const full = path.join(dir, name);
      const relative = path.join(prefix, name);
      return statSync(full).isDirectory() ? filesUnder(full, relative) : [relative];
    })
    .sort();
}

/**
 * The files that differ between the checked-in SDKs and those `schema` (by default the plugin's) generates: added,
 * missing or changed.
 */
export async function sdkDifferences(
  log: (line: string) => void,
  schema: Record<string, unknown> = schemaOfFile(),
): Promise<string[]> {
  const out = mkdtempSync(path.join(tmpdir(), "onesignal-sdk-check-"));
  try {
    await generateSdks(out, log, schema);
    const fresh = filesUnder(out);
    // sdk/README.md is the repository's own page about the SDKs, not generated.
    const kept = filesUnder(SDK_DIR).filter((file) => file !== "README.md");
    const differences: string[] = [];
    for (const file of new Set([...fresh, ...kept])) {
      const freshFile = path.join(out, file);
      const keptFile = path.join(SDK_DIR, file);
      if (!existsSync(keptFile)) differences.push(`sdk/${file} is missing`);
      else if (!existsSync(freshFile)) differences.push(`sdk/${file} is not generated`);
      else if (!readFileSync(freshFile).equals(readFileSync(keptFile))) differences.push(`sdk/${file} differs`);
    }
    return differences;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const main = async () => {
    if (process.argv.includes("--check")) {
      const differences = await sdkDifferences(log);
      if (differences.length > 0) {
        process.stderr.write(`${differences.join("\n")}\nThe SDKs differ from the schema: run \`npm run -s sdk\`.\n`);
        process.exit(1);
      }
      process.stdout.write("sdk/ matches what the schema generates.\n");
      return;
    }
    rmSync(path.join(SDK_DIR, "python"), { recursive: true, force: true });
    rmSync(path.join(SDK_DIR, "go"), { recursive: true, force: true });
    await generateSdks(SDK_DIR, log);
    process.stdout.write(`wrote sdk/python and sdk/go (${filesUnder(SDK_DIR).length} files)\n`);
  };
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
