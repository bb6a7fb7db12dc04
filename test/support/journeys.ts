/**
 * The journey tier's ground: the shell blocks of the README, `docs/` and the examples' READMEs, and a
 * sandbox that runs them as written, from a pristine start.
 *
 * Every shell block carries a marker on the line before it: `<!-- journey: NAME -->` (a journey of this
 * tier runs it) or `<!-- not run: REASON -->`. A journey runs its blocks in document order, like one
 * person's shell session: each block is its own `bash -e -o pipefail`, and the working directory and
 * exported variables carry over from block to block. Background jobs (`npx onesignal-emulator ... &`)
 * live until the journey ends, when their process groups are stopped.
 *
 * What a journey has is only what the docs ask a user to have: Node.js and npm, the Pulumi CLI on PATH,
 * a fresh HOME, and the machine's npm download cache. The blocks it runs start the emulator on a free port
 * (`--port 0`) and read its address from the file `--env-out` writes, so journeys never share a port.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { ROOT } from "./processes";

/** The journeys of this tier, by the name their markers use. */
export const JOURNEYS = {
  clone: "a fresh clone of this repository: its own commands",
  project: "a fresh project of a user's own, with the packed tarball",
  quickstart: "examples/quickstart in the fresh clone",
  "deploy-notification": "examples/deploy-notification in the fresh clone",
  "multi-environment": "examples/multi-environment in the fresh clone",
  bootstrap: "examples/bootstrap in the fresh clone",
  "copied-quickstart": "examples/quickstart copied out of the tarball into an empty folder",
  cli: "docs/cli.md and docs/functions.md in a fresh project of a user's own, with the packed tarball",
  python: "examples/python in the fresh clone: the Python SDK installed by pip in a virtualenv",
  go: "examples/go in the fresh clone: the Go SDK by the example's replace",
} as const;

/** A journey's name. */
export type JourneyName = keyof typeof JOURNEYS;

/** One shell block of a document. */
export interface ShellBlock {
  /** The document, relative to the repository root. */
  file: string;
  /** The line of its opening fence (1-based). */
  line: number;
  text: string;
  /** Its marker: the journeys that run it, or why none does; undefined when it has none. */
  marker?: { journeys: string[] } | { notRun: string };
}

/** The documents whose shell blocks are the tier's: README.md, docs/*.md and examples/README.md. */
export function documents(root = ROOT): string[] {
  const docs = readdirSync(path.join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`);
  const examples = readdirSync(path.join(root, "examples"))
    .map((name) => `examples/${name}/README.md`)
    .filter((file) => existsSync(path.join(root, file)));
  return ["README.md", ...docs.sort(), ...examples.sort()];
}

const FENCE = /^(\s*)```(\w*)\s*$/;
const SHELLS = new Set(["sh", "bash", "shell", "console", "zsh"]);
const MARKER = /^\s*<!--\s*(?:journey:\s*([\w-]+(?:\s*,\s*[\w-]+)*)|not run:\s*(.+?))\s*-->\s*$/;

/** The shell blocks of one document, with their markers. */
export function shellBlocks(file: string, root = ROOT): ShellBlock[] {
  const lines = readFileSync(path.join(root, file), "utf8").split("\n");
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] as string);
    if (!open) continue;
    const indent = open[1] as string;
    let end = i + 1;
    while (end < lines.length && !(lines[end] as string).startsWith(`${indent}\`\`\``)) end++;
    if (SHELLS.has(open[2] as string)) {
      const text = lines
        .slice(i + 1, end)
        .map((line) => line.slice(indent.length))
        .join("\n");
      const previous = lines
        .slice(0, i)
        .reverse()
        .find((line) => line.trim() !== "");
      const match = MARKER.exec(previous ?? "");
      const block: ShellBlock = { file, line: i + 1, text };
      if (match?.[1]) block.marker = { journeys: match[1].split(",").map((name) => name.trim()) };
      else if (match?.[2]) block.marker = { notRun: match[2] };
      blocks.push(block);
    }
    i = end;
  }
  return blocks;
}

/** Every shell block of every document. */
export function allShellBlocks(root = ROOT): ShellBlock[] {
  return documents(root).flatMap((file) => shellBlocks(file, root));
}

/** The blocks a journey runs, in the order of {@link documents}, then of each document. */
export function journeyBlocks(journey: JourneyName, root = ROOT): ShellBlock[] {
  return allShellBlocks(root).filter(
    (block) => block.marker && "journeys" in block.marker && block.marker.journeys.includes(journey),
  );
}

/** Copies the files git tracks (and untracked ones it does not ignore) as they are now: a fresh clone. */
export function freshClone(into: string): string {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    const from = path.join(ROOT, file);
    if (!existsSync(from)) continue; // deleted in the working tree, not yet committed
    const to = path.join(into, file);
    mkdirSync(path.dirname(to), { recursive: true });
    const copied = spawnSync("cp", ["-P", "--preserve=mode", from, to]);
    if (copied.status !== 0) throw new Error(`could not copy ${file}: ${copied.stderr}`);
  }
  return into;
}

/**
 * What the docs ask a user to put on PATH: the Pulumi CLI's directories as its installer lays them out (the
 * CLI, the dynamic-provider shim and the YAML language host beside it), and nothing of this repository's.
 */
export function userPathDirs(cli: { pathDirs: string[] }): string[] {
  return cli.pathDirs.filter((dir) => path.relative(ROOT, dir).startsWith(".."));
}

/** What one block did. */
export interface BlockRun {
  block: ShellBlock;
  code: number | null;
  output: string;
  /** Where it ran. */
  cwd: string;
}

/** A block that failed, with what it printed. */
export class BlockFailed extends Error {
  constructor(readonly run: BlockRun) {
    super(
      `${run.block.file}:${run.block.line} exited ${run.code} in ${run.cwd}\n--- block ---\n${run.block.text}\n--- output (last 4000 characters) ---\n${run.output.slice(-4000)}`,
    );
    this.name = "BlockFailed";
  }
}

/** Options of {@link Journey}. */
export interface JourneyOptions {
  /** Where the journey starts (its first working directory). */
  cwd: string;
  /** The sandbox: HOME, logs and the carried-over shell state live here. */
  sandbox: string;
  /** Directories on PATH before the system's (the Pulumi CLI's, as the docs ask). */
  pathDirs: string[];
  /** How long one block may take (default 10 minutes). */
  blockTimeoutMs?: number;
  /** More of the machine's environment: a toolchain's caches ({@link goCaches}), never the project's ground. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Go's module and build caches, as the machine has them: downloads and compiled packages, like npm's cache a
 * journey shares, so that a fresh HOME need not fetch and compile Pulumi's Go SDK again.
 */
export function goCaches(go: string): NodeJS.ProcessEnv {
  const listed = spawnSync(go, ["env", "GOMODCACHE", "GOCACHE"], { encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`go env failed: ${listed.stderr}`);
  const [GOMODCACHE, GOCACHE] = listed.stdout.trim().split("\n");
  return { GOMODCACHE, GOCACHE };
}

/** A session of blocks, run one after the other as a person would type them. */
export class Journey {
  private readonly state: string;
  private readonly home: string;
  private readonly groups: number[] = [];
  private blockCount = 0;

  constructor(private readonly options: JourneyOptions) {
    this.home = path.join(options.sandbox, "home");
    mkdirSync(this.home, { recursive: true });
    mkdirSync(path.join(options.sandbox, "tmp"), { recursive: true });
    this.state = path.join(options.sandbox, "shell-state");
    // The session starts where the journey starts, with nothing exported.
    writeFileSync(this.state, `cd '${options.cwd}'\n`);
  }

  /** The environment a block starts from: a user's basics, nothing of this test run's. */
  private environment(): NodeJS.ProcessEnv {
    return {
      HOME: this.home,
      // The CLI finds its home through the password database, not HOME: a new user's is empty.
      PULUMI_HOME: path.join(this.home, ".pulumi"),
      PATH: [...this.options.pathDirs, path.dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(
        path.delimiter,
      ),
      // Caches that tools keep in the temporary folder (ts-node's, V8's) go with the sandbox.
      TMPDIR: path.join(this.options.sandbox, "tmp"),
      LANG: "C.UTF-8",
      TERM: "dumb",
      // The machine's download cache (not the project's ground), so installs need not fetch again.
      npm_config_cache: process.env.npm_config_cache ?? path.join(homedir(), ".npm"),
      npm_config_update_notifier: "false",
      npm_config_fund: "false",
      npm_config_audit: "false",
      PULUMI_SKIP_UPDATE_CHECKS: "true",
      ...(process.env.CI ? { CI: process.env.CI } : {}),
      ...this.options.env,
    };
  }

  /** Runs one block; rejects with {@link BlockFailed} when it fails. */
  async run(block: ShellBlock): Promise<BlockRun> {
    const index = ++this.blockCount;
    const log = path.join(this.options.sandbox, `block-${index}.log`);
    const cwdFile = path.join(this.options.sandbox, `block-${index}.cwd`);
    // The block as written, between restoring the session and saving it again.
    const script = [
      `. '${this.state}'`,
      "set -e -o pipefail",
      block.text,
      "set +e",
      `{ export -p; printf 'cd %q\\n' "$PWD"; } > '${this.state}.next'`,
      `pwd > '${cwdFile}'`,
    ].join("\n");
    const scriptFile = path.join(this.options.sandbox, `block-${index}.sh`);
    writeFileSync(scriptFile, script);
    const fd = openSync(log, "w");
    const child = spawn("bash", [scriptFile], {
      env: this.environment(),
      stdio: ["ignore", fd, fd],
      // Its own process group: background jobs stay in it, and are stopped with it when the journey ends.
      detached: true,
    });
    closeSync(fd);
    this.groups.push(child.pid as number);
    const timeout = setTimeout(
      () => signalGroup(child.pid as number, "SIGKILL"),
      this.options.blockTimeoutMs ?? 600_000,
    );
    // "exit", not "close": a background job may hold the log open for as long as it runs.
    const code = await new Promise<number | null>((resolve) => child.once("exit", (status) => resolve(status)));
    clearTimeout(timeout);
    if (code === 0 && existsSync(`${this.state}.next`)) {
      writeFileSync(this.state, readFileSync(`${this.state}.next`));
    }
    const cwd = existsSync(cwdFile) ? readFileSync(cwdFile, "utf8").trim() : this.options.cwd;
    const run: BlockRun = { block, code, output: readFileSync(log, "utf8"), cwd };
    if (code !== 0) throw new BlockFailed(run);
    return run;
  }

  /** Runs blocks in order, stopping at the first that fails. */
  async runAll(blocks: ShellBlock[]): Promise<BlockRun[]> {
    const runs: BlockRun[] = [];
    for (const block of blocks) runs.push(await this.run(block));
    return runs;
  }

  /** Stops every process the journey started, background jobs included. */
  async close(): Promise<void> {
    for (const group of this.groups) signalGroup(group, "SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const group of this.groups) signalGroup(group, "SIGKILL");
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
