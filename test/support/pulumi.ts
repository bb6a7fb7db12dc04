/**
 * The e2e tier's way to run Pulumi: each operation is one process of `scripts/pulumi-run.ts`, which runs
 * the real CLI (the program inline where there is no language host), against a `file://` backend in a
 * fresh temporary directory. Nothing here imitates the engine.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it, onTestFinished } from "vitest";
import { onPath, type PulumiCli } from "../../provider/runner/find-cli";
import {
  type ConfigValue,
  type ImportTarget,
  LOCAL_PASSPHRASE,
  type Operation,
  type ProjectRunResult,
  type Step,
} from "../../provider/runner/project";
import { cacheDir, pathDirsFor, pulumiSdkVersion } from "../../scripts/pulumi/cache";
import { type CollectedOutput, collectOutput, markedRun, ROOT } from "./processes";

export type { Step };

/** The CLI the tier runs, without building one (`npm test`'s pretest builds it), or why there is none. */
export function locatePulumiCli(): PulumiCli | string {
  const existing = onPath("pulumi");
  const cached = path.join(cacheDir(), "pulumi-cli", `v${pulumiSdkVersion()}`, "bin", "pulumi");
  const cli = existing ?? (existsSync(cached) ? cached : undefined);
  if (!cli) {
    return (
      "no Pulumi CLI: none on PATH and none built in " +
      `${path.dirname(path.dirname(cached))}. Run \`npm run pulumi:cli\` (it builds one with Go), or install the Pulumi CLI.`
    );
  }
  const pathDirs = pathDirsFor(cli);
  const all = [...pathDirs, process.env.PATH ?? ""].join(path.delimiter);
  return {
    cli,
    pathDirs,
    languageHost: onPath("pulumi-language-nodejs", all) !== undefined,
    yamlHost: onPath("pulumi-language-yaml", all) !== undefined,
    source: existing ? "path" : "cache",
  };
}

const located = locatePulumiCli();

/** The located CLI; only call inside {@link describeE2E}. */
export function pulumiCli(): PulumiCli {
  if (typeof located === "string") throw new Error(located);
  return located;
}

/**
 * `describe` for the e2e tier: runs where a CLI exists; under CI=true a missing CLI fails the run;
 * elsewhere the tier is skipped and says why.
 */
export const describeE2E: typeof describe = ((name: string, body: () => void) => {
  if (typeof located !== "string") return describe(name, { timeout: 600_000 }, body);
  if (process.env.CI === "true") {
    return describe(name, () => {
      it(`needs the Pulumi CLI: ${located}`, () => {
        throw new Error(`The e2e tier cannot run: ${located}`);
      });
    });
  }
  process.stderr.write(`e2e tier not run (${name}): ${located}\n`);
  return describe.skip(name, body);
}) as typeof describe;

/** A run that failed: the engine's message and what it reported. */
export class RunFailed extends Error {
  constructor(
    message: string,
    readonly result: ProjectRunResult & { error: string },
    readonly output: string,
  ) {
    super(message);
    this.name = "RunFailed";
  }
}

/** A resource as the backend's state file keeps it. */
export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  additionalSecretOutputs?: string[];
}

/** Options of {@link PulumiProject}. */
export interface ProjectOptions {
  /** The project directory, relative to the repository root or absolute. */
  dir: string;
  stack?: string;
  /** Plain stack config. */
  config?: Record<string, string>;
  /** Secret stack config: encrypted in the stack file and in state. */
  secrets?: Record<string, string>;
  /** Extra environment for the run (and so for the program, its hooks and the providers). */
  env?: Record<string, string>;
  /** Run in the project directory itself, as `pulumi` does. */
  inPlace?: boolean;
  /** An existing state directory (default: a fresh temporary one). */
  stateDir?: string;
}

/** One stack of one project, run by the real CLI; state in a fresh temporary directory. */
export class PulumiProject {
  readonly dir: string;
  readonly stack: string;
  readonly stateDir: string;
  private readonly config: Record<string, ConfigValue> = {};
  private readonly env: Record<string, string>;
  /** The engine output of the last run. */
  lastOutput = "";
  /** The last export of the stack's resources; every run clears it. */
  private exported: StateResource[] | undefined;

  constructor(private readonly options: ProjectOptions) {
    this.dir = path.resolve(ROOT, options.dir);
    this.stack = options.stack ?? "dev";
    this.stateDir = options.stateDir ?? mkdtempSync(path.join(tmpdir(), "pulumi-e2e-"));
    this.env = options.env ?? {};
    this.setConfig(options.config ?? {});
    for (const [key, value] of Object.entries(options.secrets ?? {})) this.config[key] = { value, secret: true };
  }

  /** Changes plain stack config for the next runs. */
  setConfig(values: Record<string, string>): void {
    for (const [key, value] of Object.entries(values)) this.config[key] = value;
  }

  /** Changes secret stack config for the next runs. */
  setSecrets(values: Record<string, string>): void {
    for (const [key, value] of Object.entries(values)) this.config[key] = { value, secret: true };
  }

  preview(): Promise<ProjectRunResult> {
    return this.run("preview");
  }
  up(): Promise<ProjectRunResult> {
    return this.run("up");
  }
  refresh(): Promise<ProjectRunResult> {
    return this.run("refresh");
  }
  destroy(): Promise<ProjectRunResult> {
    return this.run("destroy");
  }

  /** `pulumi import` of existing resources into the stack (the program is not run). */
  importResources(targets: ImportTarget[]): Promise<ProjectRunResult> {
    return this.run(
      "import",
      targets.flatMap((target) => ["--resource", `${target.type}=${target.name}=${target.id}`]),
    );
  }

  /** Runs one operation in its own process; rejects with {@link RunFailed} when it fails. */
  async run(operation: Operation, extraArgs: string[] = []): Promise<ProjectRunResult> {
    this.exported = undefined;
    const resultFile = path.join(this.stateDir, `result-${process.hrtime.bigint()}.json`);
    const { args, env } = this.runCommand(operation, [...extraArgs, "--result", resultFile]);
    const { code, output } = await runProcess(process.execPath, args, env, this.dir);
    this.lastOutput = output;
    if (!existsSync(resultFile)) throw new Error(`pulumi:run ${operation} wrote no result (exit ${code}):\n${output}`);
    const result = JSON.parse(readFileSync(resultFile, "utf8")) as ProjectRunResult & { error?: string };
    rmSync(resultFile);
    if (code !== 0 || result.error) {
      throw new RunFailed(result.error ?? `exit ${code}`, result as ProjectRunResult & { error: string }, output);
    }
    return result;
  }

  /**
   * Starts one operation in a process group of its own, as a pipeline's runner does, for a test to kill it
   * (`process.kill(-child.pid, "SIGKILL")`) the way a cancelled job is: the whole group at once.
   */
  start(operation: Operation): { child: ChildProcess; output: CollectedOutput } {
    this.exported = undefined;
    const { args, env } = this.runCommand(operation, []);
    // The plugins the run starts outlive a kill of its group: each is killed when the test ends.
    const run = markedRun();
    onTestFinished(run.reap);
    const child = spawn(process.execPath, args, {
      cwd: this.dir,
      env: { ...env, ...run.env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    return { child, output: collectOutput(child) };
  }

  /** The `pulumi:run` command line and environment of one operation on this stack. */
  private runCommand(operation: Operation, extraArgs: string[]): { args: string[]; env: NodeJS.ProcessEnv } {
    const args = [
      "--require",
      path.join(ROOT, "scripts/ts-register.cjs"),
      path.join(ROOT, "scripts/pulumi-run.ts"),
      operation,
      this.dir,
      "--stack",
      this.stack,
      "--state",
      this.stateDir,
      ...extraArgs,
    ];
    if (this.options.inPlace) args.push("--in-place");
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.env };
    let secret = 0;
    for (const [key, value] of Object.entries(this.config)) {
      if (typeof value === "string") {
        args.push("--set", `${key}=${value}`);
      } else {
        const variable = `E2E_SECRET_CONFIG_${secret++}`;
        env[variable] = value.value;
        args.push("--set-secret", `${key}=${variable}`);
      }
    }
    return { args, env };
  }

  /** The raw text of every file the file backend keeps for this stack (to check secrets stay encrypted). */
  backendFiles(): string {
    return this.backendFileTexts()
      .map((file) => file.text)
      .join("\n");
  }

  /** Every file the file backend keeps for this stack (state, backups, history, locks), by its path in the backend. */
  backendFileTexts(): { path: string; text: string }[] {
    const backend = path.join(this.stateDir, "backend");
    const files: { path: string; text: string }[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else files.push({ path: path.relative(backend, full), text: readFileSync(full, "utf8") });
      }
    };
    walk(backend);
    return files;
  }

  /**
   * The stack's outputs with secrets decrypted (`pulumi stack output --json --show-secrets`): the way to a secret
   * output's value, which a run's result masks.
   */
  stackOutputs(): Record<string, unknown> {
    return JSON.parse(this.pulumi(["stack", "output", "--json", "--show-secrets", "--stack", this.stack])) as Record<
      string,
      unknown
    >;
  }

  /** The stack's resources with secrets decrypted (`pulumi stack export --show-secrets`). */
  resources(): StateResource[] {
    this.exported ??= this.exportResources();
    return this.exported;
  }

  private exportResources(): StateResource[] {
    const exported = this.pulumi(["stack", "export", "--show-secrets", "--stack", this.stack]);
    const deployment = revealed(JSON.parse(exported)) as { deployment: { resources?: StateResource[] } };
    return (deployment.deployment.resources ?? []).filter(
      (resource) => resource.type !== "pulumi:pulumi:Stack" && !resource.type.startsWith("pulumi:providers:"),
    );
  }

  /** Runs the CLI on this stack's backend, work directory and home; its standard output. */
  private pulumi(args: string[]): string {
    const ran = this.cli(args);
    if (ran.status !== 0) throw new Error(`pulumi ${args.slice(0, 2).join(" ")} failed: ${ran.stderr}`);
    return ran.stdout;
  }

  /**
   * Runs the CLI itself, as a user would, in the stack's work directory (made by a first run) with its backend,
   * home and passphrase, and the project's environment; answers, not throws, when it fails.
   */
  cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const { cwd, env } = this.userShell();
    const ran = spawnSync(pulumiCli().cli, args, { cwd, encoding: "utf8", env, maxBuffer: 1 << 28 });
    return { status: ran.status, stdout: ran.stdout, stderr: ran.stderr };
  }

  /**
   * {@link cli} without blocking this process: for commands whose provider calls an emulator served by this very
   * process (`pulumi import`, `pulumi refresh`), which a synchronous run would leave unanswered.
   */
  runCli(args: string[]): Promise<{ code: number | null; output: string }> {
    const { cwd, env } = this.userShell();
    return runProcess(pulumiCli().cli, args, env, cwd);
  }

  /**
   * Where and with what environment a user's shell runs commands on this stack: its work directory (made by a
   * first run), the CLI on PATH, and the stack's backend, home and passphrase.
   */
  userShell(): { cwd: string; env: NodeJS.ProcessEnv } {
    const cli = pulumiCli();
    return {
      cwd: this.options.inPlace ? this.dir : path.join(this.stateDir, "work", this.projectName()),
      env: {
        ...process.env,
        ...this.env,
        PATH: [...cli.pathDirs, this.env.PATH ?? process.env.PATH ?? ""].join(path.delimiter),
        PULUMI_BACKEND_URL: `file://${path.join(this.stateDir, "backend")}`,
        PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? LOCAL_PASSPHRASE,
        PULUMI_HOME: path.join(this.stateDir, "home"),
        PULUMI_SKIP_UPDATE_CHECKS: "true",
      },
    };
  }

  /** One resource of the stack by its type's last part and name (`resource("App", "app")`). */
  resource(type: string, name: string): StateResource & { id: string; outputs: Record<string, unknown> } {
    const found = this.resources().find((entry) => entry.urn.endsWith(`:${type}::${name}`));
    if (!found?.id) throw new Error(`no ${type} ${name} in the stack's state`);
    return found as StateResource & { id: string; outputs: Record<string, unknown> };
  }

  private projectName(): string {
    const text = readFileSync(path.join(this.dir, "Pulumi.yaml"), "utf8");
    return /^name:\s*(\S+)/m.exec(text)?.[1] ?? "";
  }

  /** Removes the temporary state. */
  dispose(): void {
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";

/** An exported deployment with each secret (`{<sig>, plaintext: "<json>"}`) replaced by its value. */
function revealed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealed);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (SECRET_SIG_KEY in record && typeof record.plaintext === "string") return JSON.parse(record.plaintext);
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, revealed(inner)]));
}

/** A check failure as the engine reports it: the resource's name, the property and the reason. */
export interface CheckFailure {
  resource: string;
  property?: string;
  reason: string;
}

/** The check failures among a run's diagnostics (`... resource 'x': property p value {v} has a problem: r`). */
export function checkFailures(result: ProjectRunResult): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const diagnostic of result.diagnostics) {
    if (diagnostic.severity !== "error") continue;
    const withProperty = /^\S+ resource '([^']+)': property (\S+) value .*? has a problem: (.*)$/s.exec(
      diagnostic.message,
    );
    if (withProperty) {
      failures.push({
        resource: withProperty[1] as string,
        property: withProperty[2] as string,
        reason: withProperty[3] as string,
      });
      continue;
    }
    const plain = /^\S+ resource '([^']+)' has a problem: (.*)$/s.exec(diagnostic.message);
    if (plain) failures.push({ resource: plain[1] as string, reason: plain[2] as string });
  }
  return failures;
}

/** The steps of a run as "op name" lines, for compact assertions. */
export function stepsOf(result: ProjectRunResult): string[] {
  return result.steps.map((step) => `${step.op} ${step.urn.split("::").pop()}`);
}

/** Runs a process to its end, collecting standard output and error together. */
export function runProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const output = collectOutput(child);
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output: output.both() }));
  });
}
