/**
 * `npm run -s pulumi:run -- <operation> <project-dir> [options]`: one Pulumi operation on a project's
 * stack through the real CLI (see provider/runner/project.ts), in a process of its own, as `pulumi` runs a program.
 *
 *   operation        preview | up | refresh | destroy | outputs | import
 *   --stack NAME     the stack (default dev)
 *   --state DIR      state, work directory and CLI home (default ./.pulumi-state/projects/<project>)
 *   --backend-url U  any Pulumi backend instead of file://<state>/backend
 *   --set K=V        stack config, repeatable
 *   --set-secret K=ENV  secret stack config whose value is the environment variable ENV (never argv)
 *   --resource T=NAME=ID  for import: a resource to adopt (type token, name, id), repeatable
 *   --policy-pack DIR  preview and up: enforce the policy pack in DIR, repeatable
 *   --in-place       work in the project directory itself, as `pulumi` does
 *   --result FILE    write what happened as JSON (steps, changes, outputs, diagnostics), mode 0600, secret
 *                    outputs masked as [secret] (`pulumi stack output --show-secrets` gives their values)
 *
 * The engine's output goes to standard output; exit 1 when the operation fails, 2 on bad usage.
 */
import * as path from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import {
  type ConfigValue,
  type ImportTarget,
  OPERATION_NAMES,
  type Operation,
  ProjectRunError,
  runProject,
} from "../provider/runner/project";
import { type ResultFileContent, writeResultFile } from "../provider/runner/result-file";
import { findPulumiCli } from "./pulumi/find-or-build-cli";

function pair(value: string, previous: [string, string][] = []): [string, string][] {
  const at = value.indexOf("=");
  if (at <= 0) throw new InvalidArgumentError(`expected KEY=VALUE, got "${value}"`);
  return [...previous, [value.slice(0, at), value.slice(at + 1)]];
}

function importTarget(value: string, previous: ImportTarget[] = []): ImportTarget[] {
  const [type, name, ...id] = value.split("=");
  if (!type || !name || id.length === 0 || !id.join("=")) {
    throw new InvalidArgumentError(`expected TYPE=NAME=ID (onesignal:index:App=app=<id>), got "${value}"`);
  }
  return [...previous, { type, name, id: id.join("=") }];
}

const program = new Command("pulumi:run")
  .description(
    "Runs one Pulumi operation on a project's stack with the real CLI (inline when there is no language host).",
  )
  .addOption(new Option("--stack <name>", "the stack").default("dev"))
  .option("--state <dir>", "state, work directory and CLI home")
  .option("--backend-url <url>", "a Pulumi backend URL instead of the local file backend")
  .option("--set <key=value>", "stack config (repeatable)", pair)
  .option("--set-secret <key=ENV>", "secret stack config taken from the environment variable ENV (repeatable)", pair)
  .option("--resource <type=name=id>", "for import: a resource to adopt (repeatable)", importTarget)
  .option(
    "--policy-pack <dir>",
    "preview and up: enforce the policy pack in DIR (repeatable)",
    (value: string, previous: string[] = []) => [...previous, path.resolve(value)],
  )
  .option("--in-place", "work in the project directory itself, as pulumi does")
  .option("--result <file>", "write what happened as JSON (mode 0600, secret outputs masked)")
  .argument("<operation>", OPERATION_NAMES.join(" | "))
  .argument("<project-dir>", "the directory with Pulumi.yaml")
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  .action(async (operation: string, projectDir: string, options: Record<string, unknown>) => {
    if (!OPERATION_NAMES.includes(operation as Operation)) {
      process.stderr.write(`pulumi:run: unknown operation "${operation}"; use one of ${OPERATION_NAMES.join(", ")}\n`);
      process.exit(2);
    }
    const config: Record<string, ConfigValue> = {};
    for (const [key, value] of (options.set as [string, string][] | undefined) ?? []) config[key] = value;
    for (const [key, variable] of (options.setSecret as [string, string][] | undefined) ?? []) {
      const value = process.env[variable];
      if (value === undefined) {
        process.stderr.write(
          `pulumi:run: --set-secret ${key}=${variable}: the environment variable ${variable} is not set\n`,
        );
        process.exit(2);
      }
      config[key] = { value, secret: true };
    }
    const cli = await findPulumiCli();
    const write = (result: ResultFileContent) => {
      if (options.result) writeResultFile(String(options.result), result);
    };
    try {
      const result = await runProject({
        projectDir,
        stack: String(options.stack),
        operation: operation as Operation,
        cli,
        config,
        ...(options.state ? { stateDir: String(options.state) } : {}),
        ...(options.backendUrl ? { backendUrl: String(options.backendUrl) } : {}),
        inPlace: options.inPlace === true,
        imports: (options.resource as ImportTarget[] | undefined) ?? [],
        policyPacks: (options.policyPack as string[] | undefined) ?? [],
        onOutput: (text) => process.stdout.write(text),
      });
      write(result);
      if (operation === "import" && result.generatedCode) process.stdout.write(result.generatedCode);
      if (operation === "outputs") {
        for (const [name, output] of Object.entries(result.outputs)) {
          process.stdout.write(`${name}: ${output.secret ? "[secret]" : JSON.stringify(output.value)}\n`);
        }
      }
    } catch (error) {
      if (error instanceof ProjectRunError) {
        write({ ...error.result, error: error.message });
        process.stderr.write(`pulumi:run: ${operation} failed:\n${error.message}\n`);
        process.exit(1);
      }
      throw error;
    }
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`pulumi:run: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
