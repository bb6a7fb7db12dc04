import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { onPath } from "../../provider/runner/find-cli";
import { freshClone, goCaches, Journey, type JourneyName, journeyBlocks, userPathDirs } from "../support/journeys";
import { ROOT } from "../support/processes";
import { describeE2E, pulumiCli } from "../support/pulumi";

let sandbox: string;
let clone: string;

/** A journey in the clone, from `dir` (relative to the clone); stopped when the file's tests end. */
const journeys: Journey[] = [];
function journey(
  name: JourneyName,
  dir = ".",
  toolchain: { pathDirs?: string[]; env?: NodeJS.ProcessEnv } = {},
): Journey {
  const started = new Journey({
    cwd: path.join(clone, dir),
    sandbox: mkdtempSync(path.join(sandbox, `${name}-`)),
    pathDirs: [...userPathDirs(pulumiCli()), ...(toolchain.pathDirs ?? [])],
    ...(toolchain.env ? { env: toolchain.env } : {}),
  });
  journeys.push(started);
  return started;
}

/** What `pulumi up` printed last in a block's output: its resource summary. */
function summary(output: string): string {
  return output.slice(output.lastIndexOf("Resources:"));
}

describeE2E("a fresh clone, as its README and docs say (journeys)", () => {
  beforeAll(() => {
    sandbox = mkdtempSync(path.join(tmpdir(), "journey-clone-"));
    // The files git has, as they are now: no node_modules, no dist/, no .pulumi-state, no linked commands.
    clone = freshClone(path.join(sandbox, "pulumi-onesignal"));
    expect(existsSync(path.join(clone, "node_modules"))).toBe(false);
    expect(existsSync(path.join(clone, "dist"))).toBe(false);
  });
  afterAll(async () => {
    for (const started of journeys) await started.close();
    if (sandbox) rmSync(sandbox, { recursive: true, force: true });
  });

  it("one install, then the demo deploys; the version, a no-op demo, an update and a destroy; the plugin archive; the YAML program", async () => {
    const runs = await journey("clone").runAll(journeyBlocks("clone"));
    const [install, more, , yaml] = runs.map((run) => run.output);
    // One `npm install` links the package's commands and builds it; the demo deploys at once.
    for (const bin of ["onesignal-emulator", "pulumi-onesignal", "pulumi-resource-onesignal"]) {
      expect(existsSync(path.join(clone, "node_modules", ".bin", bin)), bin).toBe(true);
    }
    expect(install).toContain("Result: 3 created.");
    expect(more?.split("\n")[0]).toBe("0.1.0");
    const results = [...(more ?? "").matchAll(/^Result: (.*)\.$/gm)].map((match) => match[1]);
    expect(results).toEqual(["3 unchanged", "1 updated, 2 unchanged", "3 deleted"]);
    const plugins = path.join(sandbox, readdirSync(sandbox).find((name) => name.startsWith("clone-")) as string);
    expect(readdirSync(path.join(plugins, "home", ".pulumi", "plugins"))).toContain("resource-onesignal-v0.1.0");
    expect(yaml).toMatch(/created/);
  });

  it("each example installs as its README says, inside the clone, and runs its blocks against the emulator", async () => {
    const quickstart = await journey("quickstart", "examples/quickstart").runAll(journeyBlocks("quickstart"));
    // The package is installed as a copy, not a link (a link would load a second @pulumi/pulumi).
    expect(statSync(path.join(clone, "examples/quickstart/node_modules/pulumi-onesignal")).isSymbolicLink()).toBe(
      false,
    );
    expect(summary(quickstart.at(-2)?.output ?? "")).toMatch(/3 unchanged/);
    expect(quickstart.at(-1)?.output).toMatch(/Policies:\s+✅ onesignal@v0\.1\.0 \(local: /);

    const notify = await journey("deploy-notification", "examples/deploy-notification").runAll(
      journeyBlocks("deploy-notification"),
    );
    expect(summary(notify.at(-1)?.output ?? "")).toMatch(/1 updated/);

    const pipeline = await journey("multi-environment", "examples/multi-environment").runAll(
      journeyBlocks("multi-environment"),
    );
    const deploys = pipeline.at(-1)?.output ?? "";
    expect(deploys).toContain("+ 9 to create");
    expect(summary(deploys)).toMatch(/9 unchanged/);

    const bootstrap = await journey("bootstrap", "examples/bootstrap").runAll(journeyBlocks("bootstrap"));
    const environment = bootstrap.at(-1)?.output ?? "";
    expect(environment).toMatch(/^ONESIGNAL_APP_ID=[0-9a-f-]{36}$/m);
    expect(environment).toContain('Environment "review-42": already up to date.');
    expect(statSync(path.join(clone, "examples/bootstrap/review-42.key")).mode & 0o777).toBe(0o600);
  });

  it("the Python and Go examples, with the SDKs from the clone: preview, up, a second up that changes nothing, a function feeding a segment, destroy", async () => {
    // What each command printed: its one JSON line, the last of its output.
    const changes = (runs: { output: string }[]) =>
      (runs.at(-1)?.output ?? "")
        .split("\n")
        .filter((line) => line.startsWith('{"changes"'))
        .map((line) => (JSON.parse(line) as { changes: Record<string, number> }).changes);
    const expected = [{ create: 3 }, { create: 3 }, { same: 3 }, { create: 1, same: 3 }, { delete: 4 }];

    const python = await journey("python", "examples/python").runAll(journeyBlocks("python"));
    expect(changes(python)).toEqual(expected);

    const go = onPath("go");
    if (!go) throw new Error("Go is not on PATH: install Go 1.25 or newer for the Go example's journey");
    const goRuns = await journey("go", "examples/go", { pathDirs: [path.dirname(go)], env: goCaches(go) }).runAll(
      journeyBlocks("go"),
    );
    expect(changes(goRuns)).toEqual(expected);
  });

  it("leaves the repository it was cloned from untouched", () => {
    expect(existsSync(path.join(ROOT, "examples/quickstart/node_modules"))).toBe(false);
  });
});
