/**
 * `npm run -s pulumi:cli`: prints, as its last line, the absolute path of a working `pulumi` binary.
 *
 * 1. The one on PATH, when there is one.
 * 2. Else, where Go is installed, one built from the Go module proxy at the version of the installed
 *    `@pulumi/pulumi`, into `.cache/pulumi-cli/<version>/bin` (git ignores it), reused when present:
 *    the CLI (`github.com/pulumi/pulumi/pkg/v3/cmd/pulumi`) and the Node.js language host
 *    (`github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3`), through a throwaway wrapper
 *    module, since their own go.mod files carry `replace` directives that `go install` refuses. The
 *    dynamic-provider shim of `@pulumi/pulumi` is copied beside them: the engine looks for plugins on PATH.
 * 3. Else it says what to install and exits 1.
 *
 * The language host has no tags of its own: set PULUMI_LANGUAGE_NODEJS_VERSION to the pseudo-version of
 * the release's commit (e.g. v3.0.0-20260624180030-abcdef123456) when the proxy cannot resolve the tag.
 */
import { spawnSync } from "node:child_process";
import {
  accessSync,
  chmodSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function run(command: string, args: string[], cwd: string): void {
  process.stderr.write(`$ ${command} ${args.join(" ")}\n`);
  const result = spawnSync(command, args, {
    cwd,
    stdio: ["ignore", "inherit", "pipe"],
    encoding: "utf8",
    env: { ...process.env, GOFLAGS: "-mod=mod" },
  });
  if (result.status !== 0) {
    fail(`pulumi:cli: \`${command} ${args.join(" ")}\` failed (in ${cwd}):\n${result.stderr ?? ""}`);
  }
}

function main(): void {
  const existing = onPath("pulumi");
  if (existing) {
    process.stdout.write(`${existing}\n`);
    return;
  }
  const go = onPath("go");
  if (!go) {
    fail(
      [
        "No `pulumi` on PATH, and no Go to build one.",
        "Install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/, e.g. `curl -fsSL https://get.pulumi.com | sh`),",
        "or install Go 1.25 or newer so that this script can build the CLI from the Go module proxy.",
      ].join("\n"),
    );
  }
  const sdk = JSON.parse(readFileSync(require.resolve("@pulumi/pulumi/package.json", { paths: [ROOT] }), "utf8")) as {
    version: string;
  };
  const version = `v${sdk.version}`;
  const dir = path.join(ROOT, ".cache", "pulumi-cli", version);
  const bin = path.join(dir, "bin");
  const cli = path.join(bin, "pulumi");
  const host = path.join(bin, "pulumi-language-nodejs");
  const shim = path.join(bin, "pulumi-resource-pulumi-nodejs");
  if (existsSync(cli) && existsSync(host) && existsSync(shim)) {
    process.stdout.write(`${cli}\n`);
    return;
  }
  mkdirSync(bin, { recursive: true });
  const hostModule = "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3";
  const hostVersion = process.env.PULUMI_LANGUAGE_NODEJS_VERSION ?? version;
  writeFileSync(
    path.join(dir, "go.mod"),
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
  );
  writeFileSync(
    path.join(dir, "tools.go"),
    '//go:build tools\n\npackage tools\n\nimport _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"\n',
  );
  const ldflags = `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${version}`;
  if (!existsSync(cli)) {
    run(go, ["mod", "tidy"], dir);
    run(go, ["build", "-ldflags", ldflags, "-o", cli, "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"], dir);
  }
  if (!existsSync(host)) {
    run(go, ["get", `${hostModule}@${hostVersion}`], dir);
    run(go, ["build", "-ldflags", ldflags, "-o", host, hostModule], dir);
  }
  copyFileSync(require.resolve("@pulumi/pulumi/pulumi-resource-pulumi-nodejs", { paths: [ROOT] }), shim);
  chmodSync(shim, 0o755);
  process.stdout.write(`${cli}\n`);
}

main();
