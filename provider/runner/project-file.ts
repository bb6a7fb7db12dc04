/**
 * A Pulumi project as the runner reads it: its `Pulumi.yaml`, its runtime, and (inline) its program,
 * loaded as the Node.js language host would load it.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { registerTypeScript } from "./typescript";

/** The parts of `Pulumi.yaml` the runner reads; the rest is kept as it is (a YAML program is copied whole). */
export interface ProjectFile {
  name: string;
  main?: string;
  [key: string]: unknown;
}

type Runtime = string | { name?: string; options?: { typescript?: unknown } } | undefined;

/** The `Pulumi.yaml` (or `Pulumi.yml`) of `projectDir`; throws, saying what to give, where there is none. */
export function readProject(projectDir: string): ProjectFile {
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((name) => path.join(projectDir, name)).find((f) => existsSync(f));
  if (!file) throw new Error(`No Pulumi.yaml in ${projectDir}: give the directory of a Pulumi project.`);
  const project = parse(readFileSync(file, "utf8")) as ProjectFile;
  if (!project?.name) throw new Error(`${file} has no name.`);
  return project;
}

/** The project's runtime name (`runtime: yaml` or `runtime: { name: yaml }`). */
export function runtimeOf(project: ProjectFile): string {
  const runtime = project.runtime as Runtime;
  return typeof runtime === "string" ? runtime : (runtime?.name ?? "");
}

/** Whether a Node.js program is TypeScript: unless `runtime.options.typescript` is false, as Pulumi reads it. */
export function typeScriptOf(project: ProjectFile): boolean {
  const runtime = project.runtime as Runtime;
  return !(typeof runtime === "object" && runtime.options?.typescript === false);
}

/** Loads the project's program as `pulumi` would, and returns its exports as the stack's outputs. */
export async function loadProgram(projectDir: string, project: ProjectFile): Promise<Record<string, unknown>> {
  const programDir = path.resolve(projectDir, project.main ?? ".");
  if (typeScriptOf(project)) registerTypeScript(projectDir);
  const entry = require.resolve(programDir);
  const previousCwd = process.cwd();
  // Programs read files relative to their directory, as under `pulumi up`.
  process.chdir(programDir);
  try {
    let exported = require(entry) as unknown;
    const candidate = exported as { default?: unknown } | undefined;
    if (typeof candidate?.default === "function") exported = candidate.default;
    if (typeof exported === "function") exported = await (exported as () => unknown)();
    return { ...((exported ?? {}) as Record<string, unknown>) };
  } finally {
    process.chdir(previousCwd);
  }
}
