import { fork } from "node:child_process";
import * as path from "node:path";
import type { ChildMessage, RegisteredMessage, RegisterMessage } from "./protocol";
import { type PropertyMap, ProviderHost } from "./provider-host";
import { type ResourceState, type StackState, StateFile } from "./state-file";

/** What one step did to one resource. */
export interface Step {
  op: "create" | "update" | "same" | "replace" | "delete";
  urn: string;
  /** For update and replace: the input keys the provider reported as changed (none on Node; kept for display). */
  replaces?: string[];
}

/** The result of `preview`, `up` or `destroy`. */
export interface RunResult {
  steps: Step[];
  outputs: Record<string, { value: unknown; secret: boolean }>;
  /** What the provider host printed (warnings, errors), as the CLI would pass it through. */
  hostOutput: string;
}

/** A drift that refresh found. */
export interface Drift {
  urn: string;
  /** `deleted` when the object is gone, else the output keys whose values changed. */
  change: "deleted" | { changedKeys: string[] };
}

/** A check failure, as the engine prints it. */
export interface CheckFailureReport {
  urn: string;
  property: string;
  reason: string;
}

/** The deployment stopped: check failures or a provider error. */
export class DeploymentError extends Error {
  constructor(
    message: string,
    readonly failures: CheckFailureReport[],
    readonly hostOutput: string,
  ) {
    super(message);
    this.name = "DeploymentError";
  }
}

/** Where a program is and how to run it. */
export interface EngineOptions {
  /** The program's directory (its index.ts). */
  programDir: string;
  /** The state file; kept between runs like a local state backend. */
  stateFile: string;
  project?: string;
  stack?: string;
  /** The stack config, namespaced keys (`onesignal:apiUrl`, `quickstart:appName`...). */
  config?: Record<string, string>;
  /** Config keys set with `--secret`. */
  secretConfigKeys?: string[];
  /** The passphrase of the state's secrets. */
  passphrase?: string;
}

const RUNNER = path.join(__dirname, "program-runner.ts");

/** What the engine tells the program about one registration. */
interface RegisterAnswer {
  id: string;
  state: PropertyMap;
  op: "create" | "update" | "same" | "replace" | "preview";
  urn: string;
  inputs: PropertyMap;
  oldInputs?: PropertyMap;
  oldOutputs?: PropertyMap;
}
const TS_REGISTER = path.resolve(__dirname, "../../scripts/ts-register.cjs");

/**
 * A small Pulumi engine: runs a program under mocks in its own process, and carries out each
 * registration through the real dynamic-provider host in the order the engine uses (configure,
 * check, diff against the last state, create/update/replace, delete of what the program dropped;
 * read for refresh). State is kept in a file between runs.
 */
export class EngineHarness {
  readonly options: Required<EngineOptions>;
  private readonly state: StateFile;

  constructor(options: EngineOptions) {
    this.options = {
      project: "test-project",
      stack: "dev",
      config: {},
      secretConfigKeys: [],
      passphrase: "test-passphrase",
      ...options,
    };
    this.state = new StateFile(this.options.stateFile, this.options.passphrase);
  }

  /** The current state, secrets decrypted. */
  currentState(): StackState {
    return this.state.load();
  }

  /** Changes the stack config for the next runs. */
  setConfig(config: Record<string, string>): void {
    Object.assign(this.options.config, config);
  }

  /** `pulumi preview`: check and diff only. */
  preview(): Promise<RunResult> {
    return this.run(true);
  }

  /** `pulumi up`. */
  up(): Promise<RunResult> {
    return this.run(false);
  }

  /** `pulumi refresh`: reads every resource and records what drifted. */
  async refresh(): Promise<Drift[]> {
    const state = this.state.load();
    const host = await this.startHost();
    const drifts: Drift[] = [];
    try {
      const kept: ResourceState[] = [];
      for (const resource of state.resources) {
        const read = await host.read(resource.urn, resource.id, resource.outputs, resource.inputs);
        if (!read.id) {
          drifts.push({ urn: resource.urn, change: "deleted" });
          continue;
        }
        const changedKeys = Object.keys({ ...resource.outputs, ...read.outputs }).filter(
          (key) => JSON.stringify(resource.outputs[key]) !== JSON.stringify(read.outputs[key]),
        );
        if (changedKeys.length > 0) drifts.push({ urn: resource.urn, change: { changedKeys } });
        kept.push({ ...resource, id: read.id, outputs: read.outputs, inputs: read.inputs ?? resource.inputs });
      }
      this.state.save({ ...state, resources: kept });
      return drifts;
    } finally {
      await host.close();
    }
  }

  /** `pulumi destroy`: deletes every resource, dependents first. */
  async destroy(): Promise<RunResult> {
    const state = this.state.load();
    const host = await this.startHost();
    const steps: Step[] = [];
    try {
      for (const resource of [...state.resources].reverse()) {
        await host.delete(resource.urn, resource.id, resource.outputs);
        steps.push({ op: "delete", urn: resource.urn });
      }
      this.state.save({ resources: [], outputs: {} });
      return { steps, outputs: {}, hostOutput: host.output.join("") };
    } finally {
      await host.close();
    }
  }

  private async startHost(): Promise<ProviderHost> {
    const host = await ProviderHost.start(this.options.programDir, this.options.project);
    await host.configure(this.options.config);
    return host;
  }

  private async run(preview: boolean): Promise<RunResult> {
    const old = this.state.load();
    const oldByUrn = new Map(old.resources.map((resource) => [resource.urn, resource]));
    const host = await this.startHost();
    const steps: Step[] = [];
    const failures: CheckFailureReport[] = [];
    const registered: ResourceState[] = [];
    const replacedOld: ResourceState[] = [];
    const seen = new Set<string>();
    try {
      const outputs = await this.runProgram(preview, async (message) => {
        const urn = `urn:pulumi:${this.options.stack}::${this.options.project}::${message.type}::${message.name}`;
        seen.add(urn);
        const previous = oldByUrn.get(urn);
        const checked = await host.check(urn, previous?.inputs ?? {}, message.inputs);
        if (checked.failures.length > 0) {
          for (const failure of checked.failures) failures.push({ urn, ...failure });
          throw new Error(
            checked.failures
              .map(
                (f) => `${message.type} resource '${message.name}': property ${f.property} has a problem: ${f.reason}`,
              )
              .join("\n"),
          );
        }
        const secretKeys = [...new Set([...message.secretKeys, ...message.additionalSecretOutputs])];
        const record = (id: string, outs: PropertyMap, op: RegisterAnswer["op"]): RegisterAnswer => {
          registered.push({
            urn,
            type: message.type,
            name: message.name,
            id,
            inputs: checked.inputs,
            outputs: outs,
            secretKeys,
            dependencies: message.dependencies,
          });
          return {
            id,
            state: outs,
            op,
            urn,
            inputs: checked.inputs,
            ...(previous && op === "update" ? { oldInputs: previous.inputs, oldOutputs: previous.outputs } : {}),
          };
        };
        const planned = (id: string, state: PropertyMap): RegisterAnswer => ({
          id,
          state,
          op: "preview",
          urn,
          inputs: checked.inputs,
        });
        if (!previous) {
          steps.push({ op: "create", urn });
          if (preview) return planned("", checked.inputs);
          const created = await host.create(urn, checked.inputs);
          return record(created.id, created.outputs, "create");
        }
        const diff = await host.diff(urn, previous.id, previous.outputs, checked.inputs);
        if (diff.changes === "none") {
          steps.push({ op: "same", urn });
          return record(previous.id, previous.outputs, "same");
        }
        if (diff.replaces.length > 0) {
          steps.push({ op: "replace", urn, replaces: diff.replaces });
          if (preview) return planned("", checked.inputs);
          if (diff.deleteBeforeReplace) await host.delete(urn, previous.id, previous.outputs);
          else replacedOld.push(previous);
          const created = await host.create(urn, checked.inputs);
          return record(created.id, created.outputs, "replace");
        }
        steps.push({ op: "update", urn });
        if (preview) return planned(previous.id, { ...previous.outputs, ...checked.inputs });
        const updated = await host.update(urn, previous.id, previous.outputs, checked.inputs);
        return record(previous.id, updated, "update");
      });

      const dropped = old.resources.filter((resource) => !seen.has(resource.urn)).reverse();
      for (const resource of dropped) {
        steps.push({ op: "delete", urn: resource.urn });
        if (!preview) await host.delete(resource.urn, resource.id, resource.outputs);
      }
      if (!preview) {
        // Replaced resources go last, create-before-delete, as the engine does.
        for (const resource of replacedOld.reverse()) await host.delete(resource.urn, resource.id, resource.outputs);
        this.state.save({ resources: registered, outputs });
      }
      return { steps, outputs, hostOutput: host.output.join("") };
    } catch (error) {
      if (!preview && registered.length > 0) {
        // Keep what was created before the failure, like the engine's partial state.
        const kept = new Set(registered.map((resource) => resource.urn));
        this.state.save({
          resources: [...registered, ...old.resources.filter((resource) => !kept.has(resource.urn))],
          outputs: old.outputs,
        });
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new DeploymentError(message, failures, host.output.join(""));
    } finally {
      await host.close();
    }
  }

  /** Runs the program in a child process; resolves to its stack outputs. */
  private runProgram(
    preview: boolean,
    onRegister: (message: RegisterMessage) => Promise<RegisterAnswer>,
  ): Promise<Record<string, { value: unknown; secret: boolean }>> {
    const child = fork(RUNNER, [this.options.programDir], {
      execArgv: ["--require", TS_REGISTER],
      cwd: this.options.programDir,
      env: {
        ...process.env,
        RUNNER_PROJECT: this.options.project,
        RUNNER_STACK: this.options.stack,
        RUNNER_PREVIEW: String(preview),
        PULUMI_CONFIG: JSON.stringify(this.options.config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(this.options.secretConfigKeys),
      },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const printed: string[] = [];
    child.stdout?.on("data", (data: Buffer) => printed.push(data.toString()));
    child.stderr?.on("data", (data: Buffer) => printed.push(data.toString()));
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | undefined, outputs?: Record<string, { value: unknown; secret: boolean }>) => {
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve(outputs ?? {});
      };
      // A registration answered after the program ended has no one to hear it.
      const reply = (message: RegisteredMessage) => {
        if (child.connected) child.send(message);
      };
      child.on("message", (message: ChildMessage) => {
        if (message.kind === "register") {
          onRegister(message).then(
            (answer) =>
              reply({
                kind: "registered",
                seq: message.seq,
                ...answer,
                // The engine marks these outputs secret: the input was secret, or additionalSecretOutputs.
                secretKeys: [...new Set([...message.secretKeys, ...message.additionalSecretOutputs])],
              } satisfies RegisteredMessage),
            (error: unknown) =>
              reply({
                kind: "registered",
                seq: message.seq,
                error: error instanceof Error ? error.message : String(error),
              } satisfies RegisteredMessage),
          );
        } else if (message.kind === "done") {
          finish(undefined, message.outputs);
        } else {
          finish(new Error(`the program failed: ${message.error}\n${printed.join("")}`));
        }
      });
      child.on("exit", (code) =>
        finish(new Error(`the program exited (${code}) before finishing:\n${printed.join("")}`)),
      );
    });
  }
}
