/**
 * The files a run needs outside the project: the isolated work directory (so that nothing is written into
 * the project), the `node_modules` the program resolves, and the provider plugin for YAML programs.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import type { ProjectFile } from "./project-file";

const PLUGIN = "pulumi-resource-onesignal";

/**
 * The isolated work directory: `Pulumi.yaml` pointing at the project's program, the stack file with
 * the project's stack config merged in (its own values, salt and secrets kept), and `node_modules`.
 */
export function prepareWorkDir(
  projectDir: string,
  project: ProjectFile,
  stateDir: string,
  stackName: string,
  yaml: boolean,
): string {
  const workDir = path.join(stateDir, "work", project.name);
  mkdirSync(workDir, { recursive: true });
  const programDir = path.resolve(projectDir, project.main ?? ".");
  // A YAML program is the project file itself: copied whole, it runs as it is.
  const copy = yaml ? project : { ...project, main: path.relative(workDir, programDir) };
  writeFileSync(path.join(workDir, "Pulumi.yaml"), stringify(copy));

  const projectStackFile = path.join(projectDir, `Pulumi.${stackName}.yaml`);
  const workStackFile = path.join(workDir, `Pulumi.${stackName}.yaml`);
  const declared = existsSync(projectStackFile)
    ? ((parse(readFileSync(projectStackFile, "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {})
    : {};
  const current = existsSync(workStackFile)
    ? ((parse(readFileSync(workStackFile, "utf8")) as Record<string, unknown> | null) ?? {})
    : {};
  const config = { ...((current.config as Record<string, unknown> | undefined) ?? {}), ...declared };
  if (Object.keys(config).length > 0 || existsSync(workStackFile)) {
    writeFileSync(workStackFile, stringify({ ...current, config }));
  }

  if (!yaml) {
    const link = path.join(workDir, "node_modules");
    if (!existsSync(link)) symlinkSync(nearestNodeModules(programDir), link, "dir");
  }
  return workDir;
}

/**
 * The nearest `node_modules` directory at or above `from`, else above `fallback`; throws, saying to
 * install the dependencies, where there is none.
 */
export function nearestNodeModules(from: string, fallback?: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules");
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    if (path.dirname(dir) === dir) {
      if (fallback) return nearestNodeModules(fallback);
      throw new Error(`No node_modules above ${from}: install the project's dependencies first (npm install).`);
    }
  }
}

/**
 * A directory holding `pulumi-resource-onesignal` of the pulumi-onesignal package the project resolves,
 * if it resolves one: npm links no bins for a package linked into itself before it is built (this
 * repository's `file:.` dependency under `npm ci`), so `.bin` may lack it.
 */
export function linkPlugin(projectDir: string, stateDir: string): string | undefined {
  // Looked up by hand: inside this package, require.resolve would find the package itself (self-reference).
  let manifest: string | undefined;
  for (let dir = projectDir; !manifest; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", "pulumi-onesignal", "package.json");
    if (existsSync(candidate)) manifest = candidate;
    else if (path.dirname(dir) === dir) return undefined;
  }
  const bin = (JSON.parse(readFileSync(manifest, "utf8")) as { bin?: Record<string, string> }).bin?.[PLUGIN];
  if (!bin) return undefined;
  const dir = path.join(stateDir, "bin");
  mkdirSync(dir, { recursive: true });
  const link = path.join(dir, PLUGIN);
  rmSync(link, { force: true });
  symlinkSync(path.resolve(path.dirname(manifest), bin), link);
  return dir;
}
