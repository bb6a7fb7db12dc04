/**
 * Builds the Pulumi CLI, the Node.js language host (where the proxy serves it) and the YAML language host
 * from their Go modules, into the cache of cache.ts. Repository tooling: the package itself only finds a
 * CLI (provider/runner/find-cli.ts).
 *
 * The CLI at the version of the installed `@pulumi/pulumi` is built from the Go module proxy through a
 * throwaway wrapper module (the CLI's own go.mod has `replace` directives that `go install` refuses).
 * Go's own module and build caches are used as they are, so a rebuild after the first one takes seconds
 * to a minute.
 *
 * The Node.js language host has no tags of its own, and some proxies refuse it; without it programs run as
 * Automation API inline programs, which need none (see provider/runner/project.ts).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { DYNAMIC_PROVIDER_SHIM } from "../../provider/runner/find-cli";
import { PULUMI_YAML_VERSION, pulumiSdkDir, yamlHostDir } from "./cache";
import { compile, goCommand, goEnv, wrapperModule } from "./go-build";

/** The Go packages this module can build, by the name of the binary. */
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

/**
 * Builds the CLI `version` (`v3.x.y`) with the Go binary `go` into `dir/bin`, and the Node.js language
 * host beside it where the proxy serves it (PULUMI_LANGUAGE_NODEJS_VERSION, else the same version),
 * reporting progress to `log`. Several minutes on a cold Go cache.
 */
export async function buildCli(go: string, version: string, dir: string, log: (line: string) => void): Promise<void> {
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
export async function buildYamlHost(go: string, log: (line: string) => void): Promise<void> {
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

/** The analyzer plugin that runs a Node.js policy pack, which a Pulumi install has beside its CLI. */
export const POLICY_ANALYZER_SHIM = "pulumi-analyzer-policy-nodejs";

/**
 * The policy analyzer shim: the engine starts it in the pack's directory, and it runs the pack with the
 * `@pulumi/pulumi` found from there (the pack's own, or its project's).
 */
const POLICY_ANALYZER_SCRIPT = `#!/bin/sh
# Runs a Node.js policy pack, as the pulumi-analyzer-policy-nodejs of a Pulumi install does (written by pulumi-onesignal).
sdk=$(node -p 'require("path").dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [process.cwd()] }))') || exit 1
exec node "$sdk/cmd/run-policy-pack" "$@"
`;

/**
 * Places the dynamic-provider shim (a copy of the SDK's) and the policy analyzer shim beside a built CLI in `bin`,
 * as a Pulumi install has them: the engine then takes them as bundled plugins (no "using ... from $PATH" warning).
 * Both resolve the SDK from the project (or pack) directory, so one copy serves every SDK version.
 */
export function placeShim(bin: string): void {
  const target = path.join(bin, DYNAMIC_PROVIDER_SHIM);
  if (!existsSync(target)) {
    copyFileSync(path.join(pulumiSdkDir(), DYNAMIC_PROVIDER_SHIM), target);
    chmodSync(target, 0o755);
  }
  const analyzer = path.join(bin, POLICY_ANALYZER_SHIM);
  if (!existsSync(analyzer)) {
    writeFileSync(analyzer, POLICY_ANALYZER_SCRIPT, { mode: 0o755 });
  }
}
