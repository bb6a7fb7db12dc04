/**
 * The pipeline example (`examples/multi-environment`) as CI runs it: the package packed as npm would publish it,
 * copies of the example installed from that tarball (each a runner's checkout, with a Pulumi home of its own), and
 * `./deploy.sh` run verbatim in them, with `pulumi` on PATH (the real CLI, inline where it has no language host).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, onTestFinished } from "vitest";
import { pulumiSdkVersion } from "../../scripts/pulumi/cache";
import type { TestEmulator } from "./emulator";
import { collectOutput, markedRun, ROOT } from "./processes";
import { pulumiCli, runProcess } from "./pulumi";
import { late } from "./use-emulator";

/** Runs npm with the same Node that runs the tests. */
export function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** The package packed as npm would publish it, for one suite. */
export interface PackedPackage {
  /** The suite's own directory (the tarball, the projects, backends and homes), removed after the suite. */
  readonly work: string;
  /** The packed package. */
  readonly tarball: string;
  /**
   * A copy of an example as a user's own project, in `work/<name>` (default: the example's folder name): its
   * dependency on this package is the tarball, and on `@pulumi/pulumi` the version the tests were built against.
   */
  userProject(example: string, name?: string): string;
}

/** The package packed once for the enclosing suite (`npm pack`: dist was built by `npm test`'s pretest). */
export function usePackedPackage(): { readonly packed: PackedPackage } {
  const packed = late<PackedPackage>("the packed package");
  beforeAll(() => {
    const work = mkdtempSync(path.join(tmpdir(), "pulumi-onesignal-user-"));
    npm(["pack", "--ignore-scripts", "--pack-destination", work], ROOT);
    const file = readdirSync(work).find((name) => name.endsWith(".tgz"));
    if (!file) throw new Error("npm pack made no tarball");
    const tarball = path.join(work, file);
    packed.set({
      work,
      tarball,
      userProject(example, name = path.basename(example)) {
        const dir = path.join(work, name);
        cpSync(path.join(ROOT, example), dir, { recursive: true });
        const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
          dependencies: Record<string, string>;
        };
        manifest.dependencies["pulumi-onesignal"] = `file:${tarball}`;
        // The SDK the tests were built against; a user's range would take the newest.
        manifest.dependencies["@pulumi/pulumi"] = pulumiSdkVersion();
        writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2));
        return dir;
      },
    });
  }, 300_000);
  afterAll(() => {
    const done = packed.get();
    packed.set(undefined);
    if (done) rmSync(done.work, { recursive: true, force: true });
  });
  return { packed: packed.value };
}

/** How a step of the pipeline ended. */
export interface DeployRun {
  code: number | null;
  /** Standard output and error together. */
  output: string;
}

/** A `./deploy.sh` still running, in a process group of its own. */
export interface StartedDeploy {
  /** What it has printed so far. */
  output(): string;
  /** Resolves with its exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Kills the whole group at once, as a cancelled or lost runner dies: no handler, no clean-up. */
  killHard(): Promise<void>;
}

/** Options of {@link PipelineRunner}. */
export interface RunnerOptions {
  /** The runner's checkout: a project made by {@link PackedPackage.userProject}. */
  dir: string;
  /** The runner's Pulumi home (its credentials and plugins), made if missing. */
  home: string;
  emulator: TestEmulator;
  /** Where the stacks' state lives: `PULUMI_BACKEND_URL`, and `PGPASSWORD` for PostgreSQL. */
  backend: Record<string, string>;
  /** Anything else the steps get (e.g. `DEPLOY_LOCK_WAIT`). */
  env?: Record<string, string>;
}

/** One CI runner of the pipeline: a checkout, a Pulumi home, and the secrets the workflow passes to every step. */
export class PipelineRunner {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;

  constructor(options: RunnerOptions) {
    const cli = pulumiCli();
    this.dir = options.dir;
    mkdirSync(options.home, { recursive: true });
    this.env = {
      ...process.env,
      // scripts/bin/pulumi first: `pulumi` as a CLI without its Node.js language host is run (inline programs).
      PATH: [path.join(ROOT, "scripts/bin"), ...cli.pathDirs, process.env.PATH ?? ""].join(path.delimiter),
      PULUMI_CONFIG_PASSPHRASE: "pipeline-test",
      PULUMI_HOME: options.home,
      PULUMI_SKIP_UPDATE_CHECKS: "true",
      ONESIGNAL_API_URL: options.emulator.url,
      ONESIGNAL_ORGANIZATION_API_KEY: options.emulator.organizationApiKey,
      ...options.backend,
      ...options.env,
    };
  }

  /** `./deploy.sh ARGS` as the workflow runs it, to its end. */
  deploy(...args: string[]): Promise<DeployRun> {
    return runProcess(path.join(this.dir, "deploy.sh"), args, this.env, this.dir);
  }

  /**
   * `./deploy.sh ARGS` in a process group of its own, as a runner's job is. Whatever is still running of it when
   * the test finishes is killed.
   */
  start(...args: string[]): StartedDeploy {
    // The plugins the deploy's Pulumi run starts outlive a kill of its group: each is killed when the test ends.
    const run = markedRun();
    const child: ChildProcess = spawn(path.join(this.dir, "deploy.sh"), args, {
      cwd: this.dir,
      env: { ...this.env, ...run.env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output = collectOutput(child);
    const closed = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // the group has ended already
      }
    };
    onTestFinished(async () => {
      killGroup();
      await closed;
      run.reap();
    });
    return {
      output: output.both,
      exited: closed,
      killHard: async () => {
        killGroup();
        await closed;
      },
    };
  }
}

/** A lock's content, as the CLI writes it in a self-managed backend. */
export interface LockContent {
  pid: number;
  username: string;
  hostname: string;
  /** RFC 3339. */
  timestamp: string;
}

/**
 * Puts a lock on a stack of a `file://` backend, as an update running elsewhere holds one (the CLI's own layout:
 * `.pulumi/locks/organization/PROJECT/STACK/ID.json`); returns the lock's file.
 */
export function placeLock(backendDir: string, project: string, stack: string, lock: LockContent): string {
  const dir = path.join(backendDir, ".pulumi", "locks", "organization", project, stack);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "0b7d3a52-2f4e-4d61-9a51-6d3f0c1e2a10.json");
  writeFileSync(file, JSON.stringify(lock));
  return file;
}
