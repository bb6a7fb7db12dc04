/**
 * What a project run takes and gives back: the runner's public types, in a module of their own so that
 * the environment, stack and operation modules share them without importing `project.ts`, which imports them.
 */
import type { PulumiCli } from "./find-cli";

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

/** Options of `runProject`. */
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
  /** `preview` and `up`: refresh the stack's resources from OneSignal first (`--refresh`). */
  refresh?: boolean;
  /** `preview` and `up`: fail when any change is planned (`--expect-no-changes`), as a drift check does. */
  expectNoChanges?: boolean;
  /** `preview` and `up`: the policy packs (directories) to enforce, as `--policy-pack DIR` does. */
  policyPacks?: string[];
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
