/** What the engine reports during a run, turned into the run's result: its steps, diagnostics and errors. */
import type { ProjectRunResult, Step } from "./types";

/** An Automation API engine event. */
export type EngineEvent = import("@pulumi/pulumi/automation").EngineEvent;

/**
 * Adds what `event` reports to `result`: a step on a custom resource (planned ones where `planned`, as a
 * preview reports them; else those done), or a warning or error.
 */
export function recordEvent(result: ProjectRunResult, event: EngineEvent, planned: boolean): void {
  const metadata = planned ? event.resourcePreEvent?.metadata : event.resOutputsEvent?.metadata;
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
export function engineMessage(error: unknown): string {
  if (error && typeof error === "object" && "commandResult" in error) {
    const command = (error as { commandResult: { stderr: string; stdout: string } }).commandResult;
    const lines: string[] = [];
    for (const raw of `${command.stdout}\n${command.stderr}`.split("\n")) {
      const line = raw.trim();
      if (line.startsWith("error:")) lines.push(line);
      // A locked stack's error names each lock's holder on an indented line of its own: kept, so that a
      // pipeline can tell a lock whose holder is gone from one still held (examples/multi-environment/deploy.sh).
      else if (/^\s+\S.*: created by \S+ \(pid \d+\) at \S+$/.test(raw)) lines.push(`  ${line}`);
    }
    if (lines.length > 0) return [...new Set(lines)].join("\n");
  }
  return error instanceof Error ? error.message : String(error);
}
