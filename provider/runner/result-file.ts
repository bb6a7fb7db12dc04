/**
 * The runner's result file (`npm run pulumi:run -- ... --result FILE`): what a run did, as JSON, for the scripts and
 * tests that drive runs in processes of their own. The file is a plain file on disk, so it keeps no secret: secret
 * outputs are masked as `pulumi stack output` shows them, and the file is readable by its owner alone. A secret
 * output's value is for `pulumi stack output --show-secrets` to give.
 */
import { rmSync, writeFileSync } from "node:fs";
import type { ProjectRunResult } from "./types";

/** What stands for a secret output's value, as `pulumi stack output` prints it. */
export const SECRET_MASK = "[secret]";

/** The result file's content: a run's result, and the engine's message where it failed. */
export type ResultFileContent = ProjectRunResult & { error?: string };

/** A copy of `result` whose secret outputs hold {@link SECRET_MASK} instead of their value. */
export function maskedResult(result: ResultFileContent): ResultFileContent {
  const outputs: ProjectRunResult["outputs"] = {};
  for (const [name, output] of Object.entries(result.outputs)) {
    outputs[name] = output.secret ? { value: SECRET_MASK, secret: true } : output;
  }
  return { ...result, outputs };
}

/**
 * Writes `result`, masked, to `file`, which is created anew with mode 0600 (an existing file is replaced, not
 * rewritten: writing into it would keep its mode), so that no other user can read it at any moment.
 */
export function writeResultFile(file: string, result: ResultFileContent): void {
  rmSync(file, { force: true });
  writeFileSync(file, `${JSON.stringify(maskedResult(result), null, 2)}\n`, { mode: 0o600, flag: "wx" });
}
