/**
 * The third part of a run: the operation itself, one entry per operation in a table, so that adding one
 * is adding a row (the `Record` makes the compiler ask for every {@link Operation}).
 */
import { type EngineEvent, engineMessage, recordEvent } from "./engine-events";
import type { Stack } from "./stack";
import { type ImportTarget, type Operation, type ProjectRun, ProjectRunError, type ProjectRunResult } from "./types";

/** What an operation adds to the result. */
type Outcome = Partial<Pick<ProjectRunResult, "changes" | "outputs" | "generatedCode">>;

/** What every operation is given besides its stack. */
interface OperationContext {
  /** The options the engine commands share: event and output callbacks, no colour. */
  common: { onEvent: (event: EngineEvent) => void; onOutput: (text: string) => void; color: "never" };
  /** What `import` adopts. */
  imports: ImportTarget[];
  /** The flags `preview` and `up` take as the CLI's do (`--refresh`, `--expect-no-changes`, `--policy-pack`). */
  checks: { refresh?: boolean; expectNoChanges?: boolean; policyPacks?: string[] };
}

/** One operation of the table. */
export interface OperationEntry {
  /** Whether the engine reports planned steps (a preview's) rather than steps done. */
  planned: boolean;
  /** Runs the operation on `stack` and says what it adds to the result. */
  run(stack: Stack, context: OperationContext): Promise<Outcome>;
}

type Summary = { resourceChanges?: Record<string, number> };

function changesOf(summary: Summary): Record<string, number> {
  return (summary.resourceChanges ?? {}) as Record<string, number>;
}

/**
 * Every operation, in the order usage texts list them. Each `pulumi stack output` costs a CLI start and a
 * state read, so only `up` and `outputs` ask for outputs (where they may change).
 */
export const OPERATIONS: Record<Operation, OperationEntry> = {
  preview: {
    planned: true,
    run: async (stack, { common, checks }) => ({
      changes: (await stack.preview({ ...common, ...checks })).changeSummary as Record<string, number>,
    }),
  },
  up: {
    planned: false,
    run: async (stack, { common, checks }) => {
      const up = await stack.up({ ...common, ...checks });
      return { changes: changesOf(up.summary), outputs: up.outputs };
    },
  },
  refresh: {
    planned: false,
    run: async (stack, { common }) => ({ changes: changesOf((await stack.refresh(common)).summary) }),
  },
  destroy: {
    planned: false,
    run: async (stack, { common }) => ({ changes: changesOf((await stack.destroy(common)).summary) }),
  },
  outputs: {
    planned: false,
    run: async (stack) => ({ outputs: await stack.outputs() }),
  },
  import: {
    planned: false,
    run: async (stack, { common, imports }) => {
      const imported = await stack.import({
        resources: imports.map((target) => ({ ...target })),
        generateCode: true,
        // Imported resources stay destroyable; `pulumi import` protects them unless told not to.
        protect: false,
        onOutput: common.onOutput,
      });
      return { changes: changesOf(imported.summary), generatedCode: imported.generatedCode };
    },
  },
};

/** The operations' names, in the table's order. */
export const OPERATION_NAMES = Object.keys(OPERATIONS) as Operation[];

/**
 * Runs `result.operation` on `stack`, recording what the engine reports into `result`. Rejects with
 * {@link ProjectRunError} (holding what was recorded) when the engine fails.
 */
export async function runOperation(
  stack: Stack,
  result: ProjectRunResult,
  options: Pick<ProjectRun, "imports" | "onOutput" | "refresh" | "expectNoChanges" | "policyPacks">,
): Promise<ProjectRunResult> {
  const entry = OPERATIONS[result.operation];
  const common = {
    onEvent: (event: EngineEvent) => recordEvent(result, event, entry.planned),
    onOutput: options.onOutput ?? (() => {}),
    color: "never" as const,
  };
  try {
    const checks = {
      ...(options.refresh ? { refresh: true } : {}),
      ...(options.expectNoChanges ? { expectNoChanges: true } : {}),
      ...(options.policyPacks?.length ? { policyPacks: options.policyPacks } : {}),
    };
    Object.assign(result, await entry.run(stack, { common, imports: options.imports ?? [], checks }));
  } catch (error) {
    throw new ProjectRunError(engineMessage(error), result);
  }
  return result;
}
