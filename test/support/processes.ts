import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** The repository root. */
export const ROOT = path.resolve(__dirname, "../..");

/** A started process with its output so far. */
export interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code once the process ends. */
  exited: Promise<number | null>;
}

/** What a child has printed so far. */
export interface CollectedOutput {
  stdout: () => string;
  stderr: () => string;
  /** Standard output and error together, in the order they arrived. */
  both: () => string;
}

/** Collects a child's standard output and error (those it pipes) from now on. */
export function collectOutput(child: Pick<ChildProcess, "stdout" | "stderr">): CollectedOutput {
  let stdout = "";
  let stderr = "";
  let both = "";
  child.stdout?.on("data", (data: Buffer) => {
    stdout += data.toString();
    both += data.toString();
  });
  child.stderr?.on("data", (data: Buffer) => {
    stderr += data.toString();
    both += data.toString();
  });
  return { stdout: () => stdout, stderr: () => stderr, both: () => both };
}

/** Starts `node ...nodeArgs` (a script and its arguments, with Node's own flags or `-e` code) from the repository root, collecting its output. */
export function startNodeWith(nodeArgs: string[], env: NodeJS.ProcessEnv = {}): Started {
  const child = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const { stdout, stderr } = collectOutput(child);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, stdout, stderr, exited };
}

/** Starts `node script args` from the repository root, collecting its output. */
export function startNode(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Started {
  return startNodeWith([path.join(ROOT, script), ...args], env);
}

/** Runs `node script args` to the end. */
export function runNode(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runNodeWith([path.join(ROOT, script), ...args], env);
}

/** Waits until `condition` holds, polling. */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `node ...nodeArgs` (a script with Node's own flags, or `-e` code) from the repository root, to the end. */
export async function runNodeWith(
  nodeArgs: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const started = startNodeWith(nodeArgs, env);
  const code = await started.exited;
  return { code, stdout: started.stdout(), stderr: started.stderr() };
}

/** The variable that marks the processes of one killed run (see {@link markedRun}). */
const RUN_MARKER = "PULUMI_ONESIGNAL_TEST_RUN";

/**
 * An environment that marks every process a run starts, however deep: the Pulumi CLI starts its plugins in process
 * groups of their own, so killing a run's group (as a cancelled job is) leaves them running. `reap` kills every
 * process that still carries the mark, so that a test that kills a run leaves nothing behind.
 */
export function markedRun(): { env: Record<string, string>; reap: () => void } {
  const id = randomUUID();
  const mark = `${RUN_MARKER}=${id}`;
  return {
    env: { [RUN_MARKER]: id },
    reap: () => {
      // Linux's process table; elsewhere there is nothing to read, and nothing is reaped.
      if (!existsSync("/proc")) return;
      for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
        let environ: string;
        try {
          environ = readFileSync(`/proc/${pid}/environ`, "latin1");
        } catch {
          continue; // ended meanwhile, or another user's
        }
        if (!environ.split("\0").includes(mark)) continue;
        try {
          process.kill(Number(pid), "SIGKILL");
        } catch {
          // ended meanwhile
        }
      }
    },
  };
}
