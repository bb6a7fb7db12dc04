import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runNode } from "../support/processes";

/** Runs `npm run pulumi:cli`'s script with a PATH of our choosing. */
function pulumiCli(pathDirs: string[]) {
  return runNode("scripts/pulumi-cli.ts", [], {
    PATH: pathDirs.join(path.delimiter),
    NODE_OPTIONS: "--require ./scripts/ts-register.cjs",
  });
}

describe("npm run pulumi:cli", () => {
  it("prints the pulumi on PATH as its last line", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "fake-pulumi-"));
    const fake = path.join(dir, "pulumi");
    writeFileSync(fake, "#!/bin/sh\necho v3.248.0\n");
    chmodSync(fake, 0o755);
    const result = await pulumiCli([dir]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n").at(-1)).toBe(fake);
  });

  it("without pulumi and without Go, says what to install and exits 1", async () => {
    const empty = mkdtempSync(path.join(tmpdir(), "empty-path-"));
    const result = await pulumiCli([empty]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Install the Pulumi CLI");
    expect(result.stderr).toContain("install Go");
  });
});
