import type { Command } from "commander";
import { PulumiCliUnavailable, pulumiOnPath } from "../../runner/find-cli";
import { RecoveryError, type RecoveryReport, type RecoveryStep, recover } from "../../runner/recover";
import { EXIT, type GlobalOptions, print } from "../shared";

/** How a step reads, one line per pending create. */
function describeStep(step: RecoveryStep, dryRun: boolean): string {
  const { urn, row } = step.pending;
  const name = urn.split("::").pop() ?? urn;
  const what = `${row.name} ${name}`;
  const will = (done: string, planned: string) => (dryRun ? planned : done);
  switch (step.action) {
    case "adopt":
      return `${what}: ${will("adopted", "would adopt")} ${step.id}, which the interrupted create made`;
    case "delete":
      return (
        `${what}: ${will("deleted", "would delete")} ${step.id}, which the interrupted create made: its secret was ` +
        "shown only to the killed run; the next up makes a new one"
      );
    case "made-since":
      return `${what}: a later run made it; the interrupted create is dropped from the state`;
    case "clear":
      return `${what}: OneSignal has none of that name: the interrupted create never landed; the next up makes it`;
    case "ambiguous":
      return (
        `${what}: ${step.ids.length} of that name exist (${step.ids.join(", ")}); left as it was: set ` +
        "adoptExistingId to the one to keep (pulumi import for a YAML program), delete the others, then run up"
      );
  }
}

/** `recover`: settles what a killed deployment's creates left, before the next `up`. */
export function registerRecoverCommand(program: Command): void {
  program
    .command("recover")
    .description(
      "before `pulumi up`, after a deployment was killed: adopt what its interrupted creates made in OneSignal, so that nothing is made twice (keys from the stack's onesignal:* config or the environment)",
    )
    .option("--stack <name>", "the stack (default: the selected stack)")
    .option("--cwd <dir>", "the Pulumi project's directory", ".")
    .option("--dry-run", "only say what would be done")
    .action(async (options: { stack?: string; cwd: string; dryRun?: boolean }) => {
      const { apiUrl, requestTimeout, deadline } = program.opts<GlobalOptions>();
      let report: RecoveryReport;
      try {
        report = await recover({
          cli: pulumiOnPath(options.cwd),
          cwd: options.cwd,
          stack: options.stack,
          dryRun: options.dryRun ?? false,
          overrides: { apiUrl, requestTimeoutMs: requestTimeout, deadlineMs: deadline },
        });
      } catch (error) {
        // The Pulumi CLI refused (a lock, no stack): a failure to report, not bad usage of this command.
        if (!(error instanceof RecoveryError || error instanceof PulumiCliUnavailable)) throw error;
        process.stderr.write(`pulumi-onesignal recover: ${error.message}\n`);
        process.exitCode = EXIT.failed;
        return;
      }
      const ambiguous = report.steps.some((step) => step.action === "ambiguous");
      print(
        program,
        {
          stack: report.stack,
          written: report.written,
          changedMeanwhile: report.changedMeanwhile ?? false,
          steps: report.steps.map((step) => ({
            action: step.action,
            urn: step.pending.urn,
            ...("id" in step ? { id: step.id } : {}),
            ...("ids" in step ? { ids: step.ids } : {}),
          })),
        },
        () =>
          report.steps.length === 0
            ? `Stack ${report.stack}: no interrupted creates; nothing to recover.`
            : report.changedMeanwhile
              ? `Stack ${report.stack}: another deployment wrote the state meanwhile (its creates were in flight, not interrupted); nothing was changed.`
              : [
                  `Stack ${report.stack}: ${report.steps.length} interrupted create(s).`,
                  ...report.steps.map((step) => describeStep(step, options.dryRun ?? false)),
                ].join("\n"),
      );
      if (ambiguous) process.exitCode = EXIT.failed;
    });
}
