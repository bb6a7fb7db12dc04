/**
 * Finds the Pulumi CLI, or builds it from its Go module, for the demo, the e2e tier and the scripts.
 *
 * The CLI on PATH wins. Else, where Go is installed, the CLI at the version of the installed
 * `@pulumi/pulumi` is built from the Go module proxy through a throwaway wrapper module (the CLI's own
 * go.mod has `replace` directives that `go install` refuses), into a cache shared by every clone of
 * this repository on the machine, and reused from then on. Go's own module and build caches are
 * used as they are, so a rebuild after the first one takes seconds to a minute.
 *
 * The Node.js language host is built too where the proxy serves it; where it does not (it has no tags
 * of its own, and some proxies refuse it), programs run as Automation API inline programs, which need
 * no language host (see provider/runner/project.ts).
 */
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { SingleBar } from "cli-progress";
import {
  DYNAMIC_PROVIDER_SHIM,
  describeCli,
  onPath,
  type PulumiCli,
  PulumiCliUnavailable,
  pathDirsFor as runnerPathDirs,
} from "../../provider/runner/find-cli";

export { onPath, type PulumiCli, PulumiCliUnavailable };

const ROOT = path.resolve(__dirname, "../..");

/** The Go packages this script can build, by the name of the binary. */
const TARGETS = {
  pulumi: { module: "github.com/pulumi/pulumi/pkg/v3", pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi" },
  "pulumi-language-yaml": {
    module: "github.com/pulumi/pulumi-yaml",
    pkg: "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml",
  },
  "pulumi-language-nodejs": {
    module: "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3",
    pkg: "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3",
  },
} as const;

/** The version of the YAML language host built for `runtime: yaml` programs (it has its own releases). */
export const PULUMI_YAML_VERSION = "v1.25.0";

/** Options of {@link findPulumiCli}. */
export interface FindOptions {
  /** Build with Go when there is no CLI (default true). */
  build?: boolean;
  /** Progress lines go here (default standard error). */
  log?: (line: string) => void;
  /** The PATH to search (default the process's). */
  searchPath?: string;
}

/** The installed `@pulumi/pulumi` version, which the built CLI matches. */
export function pulumiSdkVersion(): string {
  const file = require.resolve("@pulumi/pulumi/package.json", { paths: [ROOT] });
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

/** The directory of the `@pulumi/pulumi` package, which holds the `pulumi-resource-pulumi-nodejs` shim. */
export function pulumiSdkDir(from = ROOT): string {
  return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [from] }));
}

/** The cache of built CLIs: PULUMI_ONESIGNAL_CACHE_DIR, else the user's cache directory. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PULUMI_ONESIGNAL_CACHE_DIR) return path.resolve(env.PULUMI_ONESIGNAL_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(homedir(), ".cache");
  return path.join(base, "pulumi-onesignal");
}

/**
 * A working Pulumi CLI: the one on PATH, the cached build, or a new build (minutes, once per machine).
 * Throws {@link PulumiCliUnavailable} with what to install when there is none.
 */
export async function findPulumiCli(options: FindOptions = {}): Promise<PulumiCli> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const searchPath = options.searchPath ?? process.env.PATH ?? "";
  const go = onPath("go", searchPath);
  const build = options.build !== false;
  const existing = onPath("pulumi", searchPath);
  let cli: string;
  let source: PulumiCli["source"];
  if (existing) {
    cli = existing;
    source = "path";
  } else {
    const version = `v${pulumiSdkVersion()}`;
    const bin = path.join(cacheDir(), "pulumi-cli", version, "bin");
    cli = path.join(bin, "pulumi");
    source = "cache";
    if (!existsSync(cli)) {
      if (!go || !build) {
        throw new PulumiCliUnavailable(
          [
            go ? "No `pulumi` on PATH and no cached build." : "No `pulumi` on PATH, and no Go to build one.",
            "Install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/), for example:",
            "    curl -fsSL https://get.pulumi.com | sh",
            go
              ? "or run `npm run pulumi:cli` to build it with Go (several minutes, once)."
              : "or install Go 1.25 or newer, and `npm run pulumi:cli` builds the CLI from the Go module proxy (several minutes, once).",
          ].join("\n"),
        );
      }
      await buildCli(go, version, path.dirname(bin), log);
      source = "built";
    }
    placeShim(bin);
  }
  if (go && build && !onPath("pulumi-language-yaml", [...pathDirsFor(cli), searchPath].join(path.delimiter))) {
    await buildYamlHost(go, log).catch((error: unknown) => {
      // YAML programs need it; TypeScript programs do not: say so and go on.
      log(`The YAML language host could not be built, so \`runtime: yaml\` programs will not run: ${String(error)}`);
    });
  }
  return describeCli(cli, pathDirsFor(cli), searchPath, source);
}

/** Where the YAML language host is built (it has no place in a Pulumi install of its own here). */
export function yamlHostDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheDir(env), "pulumi-language-yaml", PULUMI_YAML_VERSION, "bin");
}

/** The CLI's directory, the SDK's shim where the CLI has none beside it, and the built YAML host where there is one. */
export function pathDirsFor(cli: string): string[] {
  const yaml = yamlHostDir();
  return runnerPathDirs(cli, pulumiSdkDir(), existsSync(path.join(yaml, "pulumi-language-yaml")) ? [yaml] : []);
}

/**
 * Copies the dynamic-provider shim beside a built CLI, as a Pulumi install has it: the engine then
 * takes it as a bundled plugin (no "using ... from $PATH" warning). The shim resolves the SDK from the
 * project directory, so one copy serves every SDK version.
 */
function placeShim(bin: string): void {
  const target = path.join(bin, DYNAMIC_PROVIDER_SHIM);
  if (!existsSync(target)) {
    copyFileSync(path.join(pulumiSdkDir(), DYNAMIC_PROVIDER_SHIM), target);
    chmodSync(target, 0o755);
  }
}

/** Builds the CLI (and the language host, where served) into `dir/bin`, with progress. */
async function buildCli(go: string, version: string, dir: string, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  log(`Building the Pulumi CLI ${version} with Go (once per machine; several minutes on a cold Go cache).`);
  mkdirSync(path.join(dir, "bin"), { recursive: true });
  const work = path.join(dir, "build");
  wrapperModule(
    work,
    [
      "module pulumi-cli-build",
      "",
      "go 1.25",
      "",
      `require github.com/pulumi/pulumi/pkg/v3 ${version}`,
      `require github.com/pulumi/pulumi/sdk/v3 ${version}`,
      "",
      // The language host's go.mod asks for a placeholder version of pkg and sdk; pin the release.
      `replace github.com/pulumi/pulumi/pkg/v3 => github.com/pulumi/pulumi/pkg/v3 ${version}`,
      `replace github.com/pulumi/pulumi/sdk/v3 => github.com/pulumi/pulumi/sdk/v3 ${version}`,
      "",
    ].join("\n"),
    TARGETS.pulumi.pkg,
  );
  let downloads = 0;
  await goCommand(go, ["mod", "tidy"], work, (line) => {
    if (!line.startsWith("go: downloading")) return;
    downloads += 1;
    if (downloads % 100 === 0) log(`  downloaded ${downloads} modules (${elapsed()})`);
  });
  log(`  modules ready (${downloads} downloaded, ${elapsed()}); compiling`);
  const ldflags = `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${version}`;
  const target = path.join(dir, "bin", "pulumi");
  await compile(go, TARGETS.pulumi.pkg, target, ldflags, work, log);
  log(`Built ${target} (${elapsed()}).`);

  // The language host is optional: inline programs need none.
  const hostVersion = process.env.PULUMI_LANGUAGE_NODEJS_VERSION ?? version;
  const host = TARGETS["pulumi-language-nodejs"];
  const got = spawnSync(go, ["get", `${host.module}@${hostVersion}`], { cwd: work, encoding: "utf8", env: goEnv() });
  if (got.status !== 0) {
    log(
      `The Node.js language host (${host.module}@${hostVersion}) is not served by the Go module proxy here: ` +
        "programs will run as Automation API inline programs, which need none.",
    );
    return;
  }
  const hostTarget = path.join(dir, "bin", "pulumi-language-nodejs");
  await compile(go, host.pkg, hostTarget, ldflags, work, log);
  log(`Built ${hostTarget} (${elapsed()}).`);
}

/** Builds the YAML language host from its own Go module into {@link yamlHostDir} (about a minute, once). */
async function buildYamlHost(go: string, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const bin = yamlHostDir();
  const target = TARGETS["pulumi-language-yaml"];
  log(`Building the Pulumi YAML language host ${PULUMI_YAML_VERSION} with Go (once per machine; a minute or two).`);
  mkdirSync(bin, { recursive: true });
  const work = path.join(path.dirname(bin), "build");
  wrapperModule(
    work,
    `module pulumi-yaml-build\n\ngo 1.25\n\nrequire ${target.module} ${PULUMI_YAML_VERSION}\n`,
    target.pkg,
  );
  await goCommand(go, ["mod", "tidy"], work, () => {});
  const output = path.join(bin, "pulumi-language-yaml");
  const ldflags = `-X github.com/pulumi/pulumi-yaml/pkg/version.Version=${PULUMI_YAML_VERSION}`;
  await compile(go, target.pkg, output, ldflags, work, log);
  log(`Built ${output} (${Math.round((Date.now() - started) / 1000)} s).`);
}

function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOFLAGS: "-mod=mod" };
}

/**
 * A throwaway Go module in `work` (made anew) with `goMod` and a tools file that imports `pkg`, so that
 * `go mod tidy` resolves the package's dependencies at the versions `goMod` asks for.
 */
function wrapperModule(work: string, goMod: string, pkg: string): void {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(path.join(work, "go.mod"), goMod);
  writeFileSync(path.join(work, "tools.go"), `//go:build tools\n\npackage tools\n\nimport _ "${pkg}"\n`);
}

/**
 * `go build -v` of `pkg` into `output` (written beside it first, then renamed, so that a broken build
 * never leaves a binary), with a progress bar over the packages it compiles (lines in a log without a terminal).
 */
async function compile(
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
function goCommand(go: string, args: string[], cwd: string, onLine: (line: string) => void): Promise<void> {
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
