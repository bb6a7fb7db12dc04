/**
 * Runs a Pulumi project directory (`Pulumi.yaml`, its program, `Pulumi.<stack>.yaml`) through the real
 * Pulumi CLI: preview, up, refresh, destroy, and the stack's outputs.
 *
 * Where a Node.js language host is on PATH, the CLI runs the program as `pulumi up` would. Where there
 * is none, the program runs as an Automation API inline program: `LocalWorkspace` serves the language
 * runtime inside this process and the CLI talks to it (`--client`), so the engine, the dynamic-provider
 * host, state, secrets and resource hooks are all the real ones.
 *
 * By default nothing is written into the project directory: the run works in `<stateDir>/work/<project>`,
 * with a copy of `Pulumi.yaml`, a stack file that takes the project's `Pulumi.<stack>.yaml` config plus
 * the run's own, and a `node_modules` link to the project's, so that the serialized providers resolve
 * their modules as they would in the project. State goes to a `file://` backend in `<stateDir>/backend`
 * (or any backend URL) with a passphrase; the CLI's home is `<stateDir>/home`.
 *
 * A program module is loaded once per process: run one operation per process (the `run.ts` command does).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { packageRoot } from "../package-version";
import type { PulumiCli } from "./find-cli";
import { registerTypeScript } from "./typescript";

type Automation = typeof import("@pulumi/pulumi/automation");
type EngineEvent = import("@pulumi/pulumi/automation").EngineEvent;
type Stack = import("@pulumi/pulumi/automation").Stack;

/** What a run does. */
export type Operation = "preview" | "up" | "refresh" | "destroy" | "outputs" | "import";

/** A resource for `pulumi import` to adopt: its type token, its name in the stack, and OneSignal's id. */
export interface ImportTarget {
  type: string;
  name: string;
  id: string;
}

/** A stack config value; `secret` ones are encrypted in the stack file. */
export type ConfigValue = string | { value: string; secret?: boolean };

/** Options of {@link runProject}. */
export interface ProjectRun {
  /** The directory holding `Pulumi.yaml`. */
  projectDir: string;
  /** The stack; created on first use. */
  stack: string;
  operation: Operation;
  /** The CLI to run, from `findPulumiCli`. */
  cli: PulumiCli;
  /**
   * Where state, the work directory and the CLI's home live (default `.pulumi-state/projects/<project>` in
   * the current directory, never inside the project); not used in place.
   */
  stateDir?: string;
  /** Any backend URL (default `file://<stateDir>/backend`; in place, the ambient backend). */
  backendUrl?: string;
  /** The stack's secrets passphrase (default PULUMI_CONFIG_PASSPHRASE, else a fixed local one). */
  passphrase?: string;
  /** Stack config set before the operation (namespaced keys, e.g. `onesignal:apiUrl`). */
  config?: Record<string, ConfigValue>;
  /**
   * Work in the project directory itself with the ambient backend, home and passphrase, as `pulumi`
   * does (it then writes `Pulumi.<stack>.yaml` there).
   */
  inPlace?: boolean;
  /** What `import` adopts. */
  imports?: ImportTarget[];
  /** Extra environment for the CLI, its plugins and the program. */
  env?: Record<string, string>;
  /** The engine's progress output, as `pulumi` prints it. */
  onOutput?: (text: string) => void;
}

/** One resource step the engine took (or plans, in a preview). */
export interface Step {
  op: string;
  urn: string;
  type: string;
  /** The top-level properties that differ, where the engine says. */
  diffs?: string[];
  /** Each changed property's kind (`update`, `update-replace`, `add`, ...), where the provider says. */
  detailedDiff?: Record<string, string>;
}

/** What a run did. */
export interface ProjectRunResult {
  operation: Operation;
  /** Steps on custom resources, in the engine's order (the stack resource left out). */
  steps: Step[];
  /** The engine's count of changes by kind (`create`, `update`, `same`, ...). */
  changes: Record<string, number>;
  /** The stack's outputs, each with whether it is secret: after `up`, and for `outputs`; else empty. */
  outputs: Record<string, { value: unknown; secret: boolean }>;
  /** Warnings and errors the engine reported, with the resource they concern. */
  diagnostics: { severity: string; urn?: string; message: string }[];
  /** Whether the program ran inline (no language host) or under the language host. */
  mode: "inline" | "language-host";
  /** After `import`: the program text the CLI wrote for the imported resources. */
  generatedCode?: string;
  /** Where the stack's state and work directory are. */
  stateDir: string;
  workDir: string;
  backendUrl: string;
}

/** A failed run: the engine's own message, plus what it reported. */
export class ProjectRunError extends Error {
  override name = "ProjectRunError";
  constructor(
    message: string,
    readonly result: ProjectRunResult,
  ) {
    super(message);
  }
}

/** The passphrase used when none is given: these stacks hold emulator keys, not production secrets. */
export const LOCAL_PASSPHRASE = "pulumi-onesignal-local";

/** Runs one operation on a project's stack. Rejects with {@link ProjectRunError} when the engine fails. */
export async function runProject(run: ProjectRun): Promise<ProjectRunResult> {
  const projectDir = path.resolve(run.projectDir);
  const project = readProject(projectDir);
  // Never inside the project: state of its own, below the directory the command runs in.
  const stateDir = path.resolve(run.stateDir ?? path.join(process.cwd(), ".pulumi-state", "projects", project.name));
  const yaml = runtimeOf(project) === "yaml";
  if (yaml && !run.cli.yamlHost) {
    throw new Error(
      `${project.name} is a YAML program and there is no YAML language host (pulumi-language-yaml): ` +
        "run `npm run pulumi:cli`, which builds it with Go, or install the Pulumi CLI, which includes it.",
    );
  }
  // The package's bins (the provider plugin among them) are on PATH, as under `npx pulumi`: the
  // project's, else (a YAML project outside any package) this repository's.
  const bins = path.join(nearestNodeModules(projectDir, yaml ? packageRoot() : undefined), ".bin");
  const pluginDir = yaml ? linkPlugin(projectDir, stateDir) : undefined;
  const env: Record<string, string> = {
    PATH: [...run.cli.pathDirs, bins, ...(pluginDir ? [pluginDir] : []), process.env.PATH ?? ""].join(path.delimiter),
    PULUMI_SKIP_UPDATE_CHECKS: "true",
  };
  // In place, the backend, the CLI's home and the passphrase are the ambient ones, as for `pulumi`.
  let backendUrl = run.backendUrl ?? process.env.PULUMI_BACKEND_URL ?? "";
  if (!run.inPlace) {
    backendUrl = run.backendUrl ?? `file://${path.join(stateDir, "backend")}`;
    env.PULUMI_HOME = path.join(stateDir, "home");
    mkdirSync(env.PULUMI_HOME, { recursive: true });
    env.PULUMI_CONFIG_PASSPHRASE = run.passphrase ?? process.env.PULUMI_CONFIG_PASSPHRASE ?? LOCAL_PASSPHRASE;
  } else if (run.passphrase) {
    env.PULUMI_CONFIG_PASSPHRASE = run.passphrase;
  }
  if (backendUrl) env.PULUMI_BACKEND_URL = backendUrl;
  if (backendUrl.startsWith("file://")) mkdirSync(backendUrl.slice("file://".length), { recursive: true });
  Object.assign(env, run.env);
  const workDir = run.inPlace ? projectDir : prepareWorkDir(projectDir, project, stateDir, run.stack, yaml);
  // YAML programs run under their language host; TypeScript ones inline where there is no Node.js host.
  const mode = yaml || run.cli.languageHost ? "language-host" : "inline";

  // One instance of the SDK per installation: the program's, so that its resources reach this runtime.
  // (A YAML project may have no SDK of its own: this script's then drives the CLI.)
  const automation = require(
    require.resolve("@pulumi/pulumi/automation", { paths: [projectDir, __dirname] }),
  ) as Automation;
  // The program (inline) runs in this process: the variables it reads must be here too.
  for (const [key, value] of Object.entries(run.env ?? {})) process.env[key] = value;
  const pulumiCommand = await automation.PulumiCommand.get({
    root: path.dirname(path.dirname(run.cli.cli)),
    skipVersionCheck: true,
  });
  const workspaceOptions = {
    workDir,
    envVars: env,
    pulumiCommand,
    ...(env.PULUMI_HOME ? { pulumiHome: env.PULUMI_HOME } : {}),
  };
  const stack: Stack =
    mode === "inline"
      ? await automation.LocalWorkspace.createOrSelectStack(
          { stackName: run.stack, projectName: project.name, program: () => loadProgram(projectDir, project) },
          workspaceOptions,
        )
      : await automation.LocalWorkspace.createOrSelectStack({ stackName: run.stack, workDir }, workspaceOptions);
  if (run.config && Object.keys(run.config).length > 0) {
    const all: Record<string, { value: string; secret: boolean }> = {};
    for (const [key, value] of Object.entries(run.config)) {
      all[key] = typeof value === "string" ? { value, secret: false } : { value: value.value, secret: !!value.secret };
    }
    await stack.setAllConfig(all);
  }

  const result: ProjectRunResult = {
    operation: run.operation,
    steps: [],
    changes: {},
    outputs: {},
    diagnostics: [],
    mode,
    stateDir,
    workDir,
    backendUrl,
  };
  const onEvent = (event: EngineEvent) => recordEvent(result, event, run.operation === "preview");
  const common = { onEvent, onOutput: run.onOutput ?? (() => {}), color: "never" as const };
  try {
    // Each `pulumi stack output` costs a CLI start and a state read: ask only where outputs may change.
    if (run.operation === "preview") {
      const preview = await stack.preview(common);
      result.changes = preview.changeSummary as Record<string, number>;
    } else if (run.operation === "up") {
      const up = await stack.up(common);
      result.changes = (up.summary.resourceChanges ?? {}) as Record<string, number>;
      result.outputs = up.outputs;
    } else if (run.operation === "refresh") {
      const refresh = await stack.refresh(common);
      result.changes = (refresh.summary.resourceChanges ?? {}) as Record<string, number>;
    } else if (run.operation === "import") {
      const imported = await stack.import({
        resources: (run.imports ?? []).map((target) => ({ ...target })),
        generateCode: true,
        // Imported resources stay destroyable; `pulumi import` protects them unless told not to.
        protect: false,
        onOutput: common.onOutput,
      });
      result.changes = (imported.summary.resourceChanges ?? {}) as Record<string, number>;
      result.generatedCode = imported.generatedCode;
    } else if (run.operation === "destroy") {
      const destroyed = await stack.destroy(common);
      result.changes = (destroyed.summary.resourceChanges ?? {}) as Record<string, number>;
    } else {
      result.outputs = await stack.outputs();
    }
  } catch (error) {
    throw new ProjectRunError(engineMessage(error), result);
  }
  return result;
}

interface ProjectFile {
  name: string;
  main?: string;
  [key: string]: unknown;
}

/**
 * A directory holding `pulumi-resource-onesignal` of the pulumi-onesignal package the project resolves,
 * if it resolves one: npm links no bins for a package linked into itself before it is built (this
 * repository's `file:.` dependency under `npm ci`), so `.bin` may lack it.
 */
function linkPlugin(projectDir: string, stateDir: string): string | undefined {
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

const PLUGIN = "pulumi-resource-onesignal";

type Runtime = string | { name?: string; options?: { typescript?: unknown } } | undefined;

/** The project's runtime name (`runtime: yaml` or `runtime: { name: yaml }`). */
function runtimeOf(project: ProjectFile): string {
  const runtime = project.runtime as Runtime;
  return typeof runtime === "string" ? runtime : (runtime?.name ?? "");
}

/** Whether a Node.js program is TypeScript: unless `runtime.options.typescript` is false, as Pulumi reads it. */
function typeScriptOf(project: ProjectFile): boolean {
  const runtime = project.runtime as Runtime;
  return !(typeof runtime === "object" && runtime.options?.typescript === false);
}

function readProject(projectDir: string): ProjectFile {
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((name) => path.join(projectDir, name)).find((f) => existsSync(f));
  if (!file) throw new Error(`No Pulumi.yaml in ${projectDir}: give the directory of a Pulumi project.`);
  const project = parse(readFileSync(file, "utf8")) as ProjectFile;
  if (!project?.name) throw new Error(`${file} has no name.`);
  return project;
}

/**
 * The isolated work directory: `Pulumi.yaml` pointing at the project's program, the stack file with
 * the project's stack config merged in (its own values, salt and secrets kept), and `node_modules`.
 */
function prepareWorkDir(
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

function nearestNodeModules(from: string, fallback?: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules");
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    if (path.dirname(dir) === dir) {
      if (fallback) return nearestNodeModules(fallback);
      throw new Error(`No node_modules above ${from}: install the project's dependencies first (npm install).`);
    }
  }
}

/** Loads the project's program as `pulumi` would, and returns its exports as the stack's outputs. */
async function loadProgram(projectDir: string, project: ProjectFile): Promise<Record<string, unknown>> {
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

function recordEvent(result: ProjectRunResult, event: EngineEvent, preview: boolean): void {
  const metadata = preview ? event.resourcePreEvent?.metadata : event.resOutputsEvent?.metadata;
  if (metadata && metadata.type !== "pulumi:pulumi:Stack" && !metadata.type.startsWith("pulumi:providers:")) {
    const step: Step = { op: metadata.op, urn: metadata.urn, type: metadata.type };
    if (metadata.diffs && metadata.diffs.length > 0) step.diffs = [...metadata.diffs];
    if (metadata.detailedDiff && Object.keys(metadata.detailedDiff).length > 0) {
      step.detailedDiff = Object.fromEntries(
        Object.entries(metadata.detailedDiff).map(([key, diff]) => [key, String(diff.diffKind)]),
      );
    }
    result.steps.push(step);
  }
  const diagnostic = event.diagnosticEvent;
  if (diagnostic && (diagnostic.severity === "error" || diagnostic.severity === "warning")) {
    const entry: ProjectRunResult["diagnostics"][number] = {
      severity: diagnostic.severity,
      message: diagnostic.message.trim(),
    };
    if (diagnostic.urn) entry.urn = diagnostic.urn;
    result.diagnostics.push(entry);
  }
}

/** The engine's own words from a failed command: its error lines, without the Automation API's wrapping. */
function engineMessage(error: unknown): string {
  if (error && typeof error === "object" && "commandResult" in error) {
    const command = (error as { commandResult: { stderr: string; stdout: string } }).commandResult;
    const lines = `${command.stdout}\n${command.stderr}`
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line.startsWith("error:"));
    if (lines.length > 0) return [...new Set(lines)].join("\n");
  }
  return error instanceof Error ? error.message : String(error);
}
