/**
 * Recovery after a killed deployment. A run killed while the engine was creating a resource leaves a pending
 * create in the stack's state and, in OneSignal, maybe the object it was making. The next `up` would create it
 * again (the CLI only warns), and OneSignal cannot delete an app: so before `up`, each pending create of ours is
 * settled against what OneSignal holds, and the state says so.
 *
 * - Nothing of that name exists: the create never landed; the pending create is dropped, and `up` makes it.
 * - One exists: App, Segment and Template are adopted (the state gets the resource with that id and the
 *   pending inputs, exactly what `pulumi refresh --import-pending-creates URN ID` records); an API key, whose
 *   secret was shown only to the killed run and can never be read back, is deleted, and `up` makes a new one.
 * - Several exist: nothing is changed; they are named, for the user to choose.
 * - The state has the resource already (a later `up` made it): the pending create is dropped.
 *
 * Objects the state already manages are never candidates.
 *
 * The state is edited with `pulumi stack export` and `pulumi stack import`, which need no language host and work
 * on every backend; `stack import` takes the stack's lock, so a lock left by the killed run must be cleared first,
 * and a deployment still running stops the recovery before it changes anything.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { type PartialSettings, readStackConfig } from "../config";
import type { Candidate } from "../resources/create-once";
import { implementationOf } from "../resources/implementations";
import { type ResourceRow, rowOfType } from "../resources/registry";
import type { PulumiCli } from "./find-cli";

/** A pending create of one of our resources, from the state. */
export interface PendingCreate {
  urn: string;
  /** The resource's type (its registry row). */
  row: ResourceRow;
  /** The inputs the create was given, secrets revealed. */
  inputs: Record<string, unknown>;
}

/** What recovery does about one pending create. */
export type RecoveryStep =
  | { action: "adopt"; pending: PendingCreate; id: string }
  | { action: "delete"; pending: PendingCreate; id: string }
  | { action: "clear"; pending: PendingCreate }
  | { action: "made-since"; pending: PendingCreate }
  | { action: "ambiguous"; pending: PendingCreate; ids: string[] };

/** The state as `pulumi stack export` prints it: only what recovery reads and writes is typed. */
export interface ExportedState {
  version: number;
  deployment: {
    resources?: Record<string, unknown>[];
    pending_operations?: { resource: Record<string, unknown>; type: string }[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** The mark with which Pulumi's state flags a secret value. */
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

/** A value of an exported state with its secrets revealed (`--show-secrets` gives them as `plaintext`). */
export function revealSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (SECRET_SIGNATURE in record && typeof record.plaintext === "string") {
    return revealSecrets(JSON.parse(record.plaintext) as unknown);
  }
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, revealSecrets(inner)]));
}

/** The pending creates of our resource types in a state (secrets revealed, when the export showed them). */
export function pendingCreates(state: ExportedState): PendingCreate[] {
  const pending: PendingCreate[] = [];
  for (const operation of state.deployment.pending_operations ?? []) {
    const row = rowOfType(String(operation.resource.type));
    if (operation.type !== "creating" || !row) continue;
    const inputs = revealSecrets(operation.resource.inputs ?? {}) as Record<string, unknown>;
    pending.push({ urn: String(operation.resource.urn), row, inputs });
  }
  return pending;
}

/** The step for one pending create, from the objects OneSignal holds that it would duplicate. */
export function stepFor(pending: PendingCreate, found: Candidate[]): RecoveryStep {
  if (found.length === 0) return { action: "clear", pending };
  if (found.length > 1) return { action: "ambiguous", pending, ids: found.map((candidate) => candidate.id) };
  const id = (found[0] as Candidate).id;
  return pending.row.afterInterruptedCreate === "delete"
    ? { action: "delete", pending, id }
    : { action: "adopt", pending, id };
}

/**
 * The state with the settled pending creates resolved: adopted ones become resources with their id and the
 * pending inputs as outputs (a refresh reads the rest), the others are dropped. An adopted replacement marks its
 * predecessor for deletion, as the engine does between a replacement's create and the old one's delete: the next
 * `up` deletes it. `state` is the export without `--show-secrets`, so secrets stay encrypted in what is imported.
 */
export function recoveredState(state: ExportedState, steps: RecoveryStep[]): ExportedState {
  const settled = new Map(steps.filter((step) => step.action !== "ambiguous").map((step) => [step.pending.urn, step]));
  const adopted = new Set(steps.filter((step) => step.action === "adopt").map((step) => step.pending.urn));
  const resources = (state.deployment.resources ?? []).map((resource) =>
    adopted.has(String(resource.urn)) && resource.delete !== true ? { ...resource, delete: true } : resource,
  );
  const operations = (state.deployment.pending_operations ?? []).filter((operation) => {
    const step = settled.get(String(operation.resource.urn));
    if (!step || operation.type !== "creating") return true;
    if (step.action === "adopt") {
      const inputs = operation.resource.inputs ?? {};
      // Appended: nothing in the state can depend on a resource that was still being created.
      resources.push({ ...operation.resource, id: step.id, outputs: inputs });
    }
    return false;
  });
  return { ...state, deployment: { ...state.deployment, resources, pending_operations: operations } };
}

/** Options of {@link recover}. */
export interface RecoverOptions {
  cli: PulumiCli;
  /** The project directory. */
  cwd: string;
  /** The stack (default: the selected one). */
  stack?: string | undefined;
  /** Only say what would be done. */
  dryRun?: boolean;
  /** Settings that win over the stack's `onesignal:*` config (the CLI's flags). */
  overrides?: PartialSettings;
}

/** What {@link recover} found and did. */
export interface RecoveryReport {
  stack: string;
  steps: RecoveryStep[];
  /** Whether the state was written. */
  written: boolean;
  /** Set when another deployment wrote the state while recovery read OneSignal: nothing was changed. */
  changedMeanwhile?: boolean;
}

/** A recovery that cannot proceed: its message says what to do. */
export class RecoveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecoveryError";
  }
}

/** Settles every pending create of ours in a stack's state, as described above. */
export async function recover(options: RecoverOptions): Promise<RecoveryReport> {
  const pulumi = (args: string[], input?: string) => runCli(options, args, input);
  const stack = options.stack ?? pulumi(["stack", "--show-name"]).trim();
  const revealed = JSON.parse(pulumi(["stack", "export", "--show-secrets", "--stack", stack])) as ExportedState;
  const pending = pendingCreates(revealed);
  if (pending.length === 0) return { stack, steps: [], written: false };

  const config = JSON.parse(pulumi(["config", "--json", "--show-secrets", "--stack", stack])) as Record<
    string,
    { value?: unknown }
  >;
  const stackConfig: PartialSettings = {
    ...readStackConfig({ get: (key) => stringOrUndefined(config[key]?.value) }),
    ...definedOnly(options.overrides ?? {}),
  };
  const resources = revealed.deployment.resources ?? [];
  const managedUrns = new Set(resources.map((resource) => String(resource.urn)));
  const managedIds = new Set(resources.map((resource) => String(resource.id)));
  const steps: RecoveryStep[] = [];
  for (const item of pending) {
    const implementation = implementationOf(item.row);
    implementation.stackConfig = stackConfig;
    const found = (await implementation.existing(item.inputs)).filter((candidate) => !managedIds.has(candidate.id));
    // The URN in the state: a later run made it (nothing else of that name), or the pending create was a
    // replacement's, whose predecessor the state still holds.
    steps.push(
      managedUrns.has(item.urn) && found.length === 0 ? { action: "made-since", pending: item } : stepFor(item, found),
    );
  }
  if (options.dryRun || steps.every((step) => step.action === "ambiguous")) return { stack, steps, written: false };

  // The state first: `stack import` takes the lock, so a deployment still running (whose creates are pending
  // because they are in flight) stops the recovery here, before anything of its own is deleted.
  const state = JSON.parse(pulumi(["stack", "export", "--stack", stack])) as ExportedState;
  if (checkpointTime(state) !== checkpointTime(revealed)) {
    // Another deployment wrote the state since it was read (its creates were in flight, not interrupted): what was
    // planned may no longer hold, and importing would undo what it wrote. Left alone; its lock stops the next `up`.
    return { stack, steps, written: false, changedMeanwhile: true };
  }
  pulumi(["stack", "import", "--stack", stack], JSON.stringify(recoveredState(state, steps)));
  for (const step of steps) {
    if (step.action !== "delete") continue;
    const implementation = implementationOf(step.pending.row);
    implementation.stackConfig = stackConfig;
    try {
      await implementation.delete(step.id, step.pending.inputs);
    } catch (error) {
      throw new RecoveryError(
        `the state is recovered, but deleting ${step.pending.row.name} ${step.id}, which the killed run made and ` +
          `nobody holds the secret of, failed: ${error instanceof Error ? error.message : String(error)}. ` +
          "Delete it in the OneSignal dashboard (Keys & IDs).",
      );
    }
  }
  return { stack, steps, written: true };
}

/** Runs the Pulumi CLI in the project; its standard output, or a {@link RecoveryError} with what it said. */
function runCli(options: RecoverOptions, args: string[], input?: string): string {
  const result = spawnSync(options.cli.cli, args, {
    cwd: options.cwd,
    encoding: "utf8",
    input,
    maxBuffer: 256 * 1024 * 1024,
    env: {
      ...process.env,
      PATH: [...options.cli.pathDirs, process.env.PATH ?? ""].join(path.delimiter),
      PULUMI_SKIP_UPDATE_CHECKS: process.env.PULUMI_SKIP_UPDATE_CHECKS ?? "true",
    },
  });
  if (result.status !== 0) {
    const said = `${result.stderr ?? ""}${result.error ? result.error.message : ""}`.trim();
    // On a line of its own: the CLI's last line names the lock's holder, which pipelines read.
    const locked = /currently locked/.test(said)
      ? "\nThe stack is locked: if no deployment of it is running (the killed one held the lock), run `pulumi cancel` first."
      : "";
    throw new RecoveryError(`\`pulumi ${args.slice(0, 2).join(" ")}\` failed: ${said}${locked}`);
  }
  return result.stdout;
}

/** When the state was last written, as its manifest says. */
function checkpointTime(state: ExportedState): unknown {
  return (state.deployment.manifest as { time?: unknown } | undefined)?.time;
}

function stringOrUndefined(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

function definedOnly(settings: PartialSettings): PartialSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as PartialSettings;
}
