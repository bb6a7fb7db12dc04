import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { pulumiSdkVersion } from "../../scripts/pulumi/cache";
import { runNode } from "../support/processes";
import { tempDirForTest } from "../support/temp-dirs";

/** Runs `npm run pulumi:cli`'s script with a PATH and a cache directory of our choosing. */
function pulumiCli(pathDirs: string[], cache: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  return runNode("scripts/pulumi-cli.ts", args, {
    PATH: pathDirs.join(path.delimiter),
    NODE_OPTIONS: "--require ./scripts/ts-register.cjs",
    PULUMI_ONESIGNAL_CACHE_DIR: cache,
    CI: "",
    ...env,
  });
}

function fakeExecutable(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, "#!/bin/sh\necho v3.248.0\n");
  chmodSync(file, 0o755);
  return file;
}

const emptyDir = tempDirForTest;

describe("npm run pulumi:cli", () => {
  it("prints the pulumi on PATH as its last line", async () => {
    const fake = fakeExecutable(emptyDir("fake-pulumi-"), "pulumi");
    const result = await pulumiCli([path.dirname(fake)], emptyDir("cache-"));
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n").at(-1)).toBe(fake);
  });

  it("reuses a cached build, places the dynamic-provider shim beside it, and says programs run inline", async () => {
    const cache = emptyDir("cache-");
    const cli = fakeExecutable(path.join(cache, "pulumi-cli", `v${pulumiSdkVersion()}`, "bin"), "pulumi");
    const result = await pulumiCli([emptyDir("empty-path-")], cache);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(cli);
    expect(result.stderr).toContain("programs run as Automation API inline programs");
    const shim = path.join(path.dirname(cli), "pulumi-resource-pulumi-nodejs");
    expect(existsSync(shim)).toBe(true);
    expect(readFileSync(shim, "utf8")).toContain("@pulumi/pulumi/cmd/dynamic-provider");
  });

  it("without pulumi and without Go, says what to install and exits 1", async () => {
    const result = await pulumiCli([emptyDir("empty-path-")], emptyDir("cache-"));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Install the Pulumi CLI");
    expect(result.stderr).toContain("install Go");
  });

  it("with --if-possible (what `npm test` runs), says why the e2e tier will not run and exits 0", async () => {
    const result = await pulumiCli([emptyDir("empty-path-")], emptyDir("cache-"), ["--if-possible"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("The e2e tier (test/e2e) will not run without it.");
  });
});
