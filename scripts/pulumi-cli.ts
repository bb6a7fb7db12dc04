/**
 * `npm run -s pulumi:cli`: prints, as its last line, the absolute path of a working `pulumi` binary:
 * the one on PATH, else a cached build, else one built now with Go (see scripts/pulumi/find-or-build-cli.ts).
 * Without one it says what to install and exits 1; with `--if-possible` it says so and exits 0
 * (`npm test` uses that: the e2e tier then reports why it did not run, and fails under CI=true).
 */
import { PulumiCliUnavailable } from "../provider/runner/find-cli";
import { findPulumiCli } from "./pulumi/find-or-build-cli";

const ifPossible = process.argv.includes("--if-possible");

findPulumiCli().then(
  (found) => {
    if (!found.languageHost && found.source !== "built") {
      process.stderr.write("No Node.js language host: programs run as Automation API inline programs.\n");
    }
    process.stdout.write(`${found.cli}\n`);
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message}\n`);
    if (ifPossible && error instanceof PulumiCliUnavailable) {
      process.stderr.write("The e2e tier (test/e2e) will not run without it.\n");
      process.exit(0);
    }
    process.exit(1);
  },
);
