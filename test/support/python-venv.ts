/**
 * A Python virtualenv holding one PyPI package at one version, for tests that run a real Python client. It is made
 * once per machine and kept in the repository's cache (beside the Pulumi CLI, see scripts/pulumi/cache.ts), keyed by
 * the package and version, so that reruns start at once.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { cacheDir } from "../../scripts/pulumi/cache";

/** Why Python cannot make a virtualenv here, or `undefined` when it can. */
export function pythonMissing(python = "python3"): string | undefined {
  // venv and ensurepip: a virtualenv with pip in it (Debian ships both apart from python3).
  const probe = spawnSync(python, ["-c", "import venv, ensurepip"], { encoding: "utf8" });
  if (probe.error) return `${python} is not on PATH (${probe.error.message}); install Python 3 with venv and pip`;
  if (probe.status !== 0) {
    return `${python} cannot make a virtualenv with pip (the venv or ensurepip module is missing: ${probe.stderr.trim()}); install python3-venv`;
  }
  return undefined;
}

/**
 * The Python interpreter of a virtualenv holding `requirement` (`name==version`, or several): the cached one, or one made now in
 * a temporary directory beside the cache entry and moved into place only once pip succeeded, so that a half-made
 * virtualenv is never taken for a ready one. Throws, with pip's own message, when it cannot be made.
 */
export function pythonWith(requirement: string | string[], python = "python3"): string {
  const requirements = Array.isArray(requirement) ? requirement : [requirement];
  const home = path.join(cacheDir(), "python-venvs");
  const ready = path.join(home, requirements.join("+").replace(/[^\w.=+-]/g, "_"));
  const interpreter = path.join(ready, "bin", "python");
  if (existsSync(path.join(ready, "ready"))) return interpreter;
  mkdirSync(home, { recursive: true });
  const building = mkdtempSync(path.join(home, ".building-"));
  try {
    run(python, ["-m", "venv", building]);
    // The interpreter rather than the pip script: the script's first line names the temporary directory.
    run(path.join(building, "bin", "python"), [
      "-m",
      "pip",
      "install",
      "--quiet",
      "--disable-pip-version-check",
      ...requirements,
    ]);
    writeFileSync(path.join(building, "ready"), `${requirements.join("\n")}\n`);
    rmSync(ready, { recursive: true, force: true });
    renameSync(building, ready);
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return interpreter;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 300_000 });
  if (result.error) throw new Error(`${command} ${args.join(" ")} could not run: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status}): ${result.stderr.trim()}`);
  }
}
