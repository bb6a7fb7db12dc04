/**
 * The Go steps of building a binary from a module on the Go module proxy: a throwaway wrapper module,
 * `go mod tidy`, and `go build` with progress. build-cli.ts says what to build with them.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { SingleBar } from "cli-progress";

/** The environment of every go command: modules resolved as the wrapper's go.mod says (`-mod=mod`). */
export function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOFLAGS: "-mod=mod" };
}

/**
 * A throwaway Go module in `work` (made anew) with `goMod` and a tools file that imports `pkg`, so that
 * `go mod tidy` resolves the package's dependencies at the versions `goMod` asks for.
 */
export function wrapperModule(work: string, goMod: string, pkg: string): void {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(path.join(work, "go.mod"), goMod);
  writeFileSync(path.join(work, "tools.go"), `//go:build tools\n\npackage tools\n\nimport _ "${pkg}"\n`);
}

/**
 * `go build -v` of `pkg` into `output` (written beside it first, then renamed, so that a broken build
 * never leaves a binary), with a progress bar over the packages it compiles (lines in a log without a terminal).
 */
export async function compile(
  go: string,
  pkg: string,
  output: string,
  ldflags: string,
  cwd: string,
  log: (line: string) => void,
): Promise<void> {
  const listed = spawnSync(go, ["list", "-deps", pkg], { cwd, encoding: "utf8", env: goEnv(), maxBuffer: 1 << 26 });
  const total = listed.status === 0 ? listed.stdout.split("\n").filter(Boolean).length : 0;
  const tty = process.stderr.isTTY === true;
  const bar =
    tty && total > 0
      ? new SingleBar({ format: "  compiling [{bar}] {value}/{total} packages", hideCursor: true })
      : undefined;
  bar?.start(total, 0);
  let compiled = 0;
  try {
    await goCommand(go, ["build", "-v", "-ldflags", ldflags, "-o", `${output}.partial`, pkg], cwd, () => {
      compiled += 1;
      bar?.update(Math.min(compiled, total));
      if (!bar && compiled % 250 === 0) log(`  compiled ${compiled}${total ? ` of at most ${total}` : ""} packages`);
    });
  } finally {
    bar?.stop();
  }
  renameSync(`${output}.partial`, output);
}

/** Runs a go command, handing each line of its standard error to `onLine`; rejects with its output on failure. */
export function goCommand(go: string, args: string[], cwd: string, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(go, args, { cwd, env: goEnv(), stdio: ["ignore", "ignore", "pipe"] });
    let tail = "";
    let partial = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        onLine(line);
        tail = `${tail}${line}\n`.slice(-4000);
      }
    });
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`\`go ${args.join(" ")}\` failed in ${cwd} (exit ${code}):\n${tail}${partial}`));
    });
  });
}
