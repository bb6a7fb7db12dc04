/**
 * Runs a Pulumi project directory (`Pulumi.yaml`, its program, `Pulumi.<stack>.yaml`) through the real
 * Pulumi CLI: preview, up, refresh, destroy, import, and the stack's outputs.
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
 * A run is three parts, each a module: the environment (environment.ts, with project-file.ts and
 * work-dir.ts), the stack (stack.ts) and the operation (operations.ts, a table of them).
 *
 * A program module is loaded once per process: run one operation per process (`npm run pulumi:run` does).
 */
import { plainSecretMessage } from "../config";
import { prepareEnvironment } from "./environment";
import { runOperation } from "./operations";
import { plainSecretSettings, selectStack } from "./stack";
import { type ProjectRun, ProjectRunError, type ProjectRunResult } from "./types";

export { OPERATION_NAMES } from "./operations";
export {
  type ConfigValue,
  type ImportTarget,
  LOCAL_PASSPHRASE,
  type Operation,
  type ProjectRun,
  ProjectRunError,
  type ProjectRunResult,
  type Step,
} from "./types";

/** Runs one operation on a project's stack. Rejects with {@link ProjectRunError} when the engine fails. */
export async function runProject(run: ProjectRun): Promise<ProjectRunResult> {
  const environment = prepareEnvironment(run);
  const stack = await selectStack(run, environment);
  const { mode, stateDir, workDir, backendUrl } = environment;
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
  if (run.operation !== "preview") {
    // An update without a preview (the Automation API's) records the stack config, plain values and all, in the
    // update's history before the program can refuse a plain key: refused here, before anything is written. A
    // preview writes nothing, and the program (or the plugin) refuses it there.
    const plain = plainSecretSettings(await stack.getAllConfig());
    if (plain.length > 0) throw new ProjectRunError(plain.map(plainSecretMessage).join("\n"), result);
  }
  return runOperation(stack, result, run);
}
