/**
 * The second part of a run: the stack, selected (or created on first use) in the run's workspace, inline
 * or under the language host, with the run's config set on it.
 */
import * as path from "node:path";
import { CONFIG_KEYS, SECRET_SETTINGS, type SecretSetting } from "../config";
import type { RunEnvironment } from "./environment";
import { loadProgram } from "./project-file";
import type { ConfigValue, ProjectRun } from "./types";

/** An Automation API stack. */
export type Stack = import("@pulumi/pulumi/automation").Stack;

/** Selects or creates `run.stack` with the CLI `run.cli` in `environment`, and sets `run.config` on it. */
export async function selectStack(run: ProjectRun, environment: RunEnvironment): Promise<Stack> {
  const { automation, env, mode, project, projectDir, workDir } = environment;
  const pulumiCommand = await automation.PulumiCommand.get({
    // The CLI is `<root>/bin/pulumi`: the Automation API takes the root.
    root: path.dirname(path.dirname(run.cli.cli)),
    skipVersionCheck: true,
  });
  const workspaceOptions = {
    workDir,
    envVars: env,
    pulumiCommand,
    ...(env.PULUMI_HOME ? { pulumiHome: env.PULUMI_HOME } : {}),
  };
  const stack =
    mode === "inline"
      ? await automation.LocalWorkspace.createOrSelectStack(
          { stackName: run.stack, projectName: project.name, program: () => loadProgram(projectDir, project) },
          workspaceOptions,
        )
      : await automation.LocalWorkspace.createOrSelectStack({ stackName: run.stack, workDir }, workspaceOptions);
  if (run.config && Object.keys(run.config).length > 0) await stack.setAllConfig(configValues(run.config));
  return stack;
}

/** The secret settings (`onesignal:organizationApiKey`, `onesignal:appApiKey`) a stack's config holds in plain. */
export function plainSecretSettings(config: Record<string, { value: string; secret?: boolean }>): SecretSetting[] {
  return SECRET_SETTINGS.filter((which) => {
    const entry = config[CONFIG_KEYS[which]];
    return entry !== undefined && entry.value !== "" && !entry.secret;
  });
}

/** The run's config as the Automation API takes it: every value with its secret flag. */
function configValues(config: Record<string, ConfigValue>): Record<string, { value: string; secret: boolean }> {
  const all: Record<string, { value: string; secret: boolean }> = {};
  for (const [key, value] of Object.entries(config)) {
    all[key] = typeof value === "string" ? { value, secret: false } : { value: value.value, secret: !!value.secret };
  }
  return all;
}
