/**
 * The first part of a run: where it works and with what. The environment of the CLI, its plugins and the
 * program (PATH, backend, home, passphrase), the state and work directories, whether the program runs
 * inline or under a language host, and the one Automation API (the project's own SDK) that drives the CLI.
 */
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../package-version";
import { type ProjectFile, readProject, runtimeOf } from "./project-file";
import { LOCAL_PASSPHRASE, type ProjectRun, type ProjectRunResult } from "./types";
import { linkPlugin, nearestNodeModules, prepareWorkDir } from "./work-dir";

/** The Automation API module of `@pulumi/pulumi`. */
export type Automation = typeof import("@pulumi/pulumi/automation");

/** Where and how a run works, from {@link prepareEnvironment}. */
export interface RunEnvironment {
  /** The project directory, absolute. */
  projectDir: string;
  project: ProjectFile;
  stateDir: string;
  /** Where the CLI runs: the isolated work directory, or the project itself in place. */
  workDir: string;
  /** The backend URL, or "" for the CLI's own choice (in place, with none ambient). */
  backendUrl: string;
  /** The environment of the CLI and its plugins. */
  env: Record<string, string>;
  mode: ProjectRunResult["mode"];
  /** The project's `@pulumi/pulumi/automation` (else this package's). */
  automation: Automation;
}

/**
 * Prepares a run: reads the project, makes its state and work directories, builds the CLI's environment
 * and resolves the SDK. Sets `run.env` in this process too, since an inline program runs here.
 */
export function prepareEnvironment(run: ProjectRun): RunEnvironment {
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
  const backendUrl = backendFor(run, stateDir, env);
  Object.assign(env, run.env);
  const workDir = run.inPlace ? projectDir : prepareWorkDir(projectDir, project, stateDir, run.stack, yaml);
  // YAML programs run under their language host; TypeScript ones inline where there is no Node.js host.
  const mode = yaml || run.cli.languageHost ? "language-host" : "inline";

  // One instance of the SDK per installation: the program's, so that its resources reach this runtime.
  // (A YAML project may have no SDK of its own: this package's then drives the CLI.)
  const automation = require(
    require.resolve("@pulumi/pulumi/automation", { paths: [projectDir, __dirname] }),
  ) as Automation;
  // The program (inline) runs in this process: the variables it reads must be here too.
  for (const [key, value] of Object.entries(run.env ?? {})) process.env[key] = value;
  return { projectDir, project, stateDir, workDir, backendUrl, env, mode, automation };
}

/**
 * The run's backend URL, with the backend, CLI home and passphrase variables set in `env`: its own
 * under `stateDir`, or in place the ambient ones, as for `pulumi`.
 */
function backendFor(run: ProjectRun, stateDir: string, env: Record<string, string>): string {
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
  return backendUrl;
}
