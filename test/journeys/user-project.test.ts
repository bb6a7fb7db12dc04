import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Journey, type JourneyName, journeyBlocks, userPathDirs } from "../support/journeys";
import { ROOT } from "../support/processes";
import { describeE2E, pulumiCli } from "../support/pulumi";

let sandbox: string;
let tarball: string;
const journeys: Journey[] = [];

/** A journey in an empty folder of a user's own that holds only the packed tarball, as the docs assume. */
function journey(name: JourneyName): { journey: Journey; dir: string } {
  const dir = path.join(sandbox, name, "project");
  mkdirSync(dir, { recursive: true });
  copyFileSync(tarball, path.join(dir, path.basename(tarball)));
  const started = new Journey({
    cwd: dir,
    sandbox: path.join(sandbox, name),
    pathDirs: userPathDirs(pulumiCli()),
  });
  journeys.push(started);
  return { journey: started, dir };
}

/** The variables an emulator's `--env-out` file exports. */
function envOf(file: string): Record<string, string> {
  return Object.fromEntries(
    [...readFileSync(file, "utf8").matchAll(/^export (\w+)='(.*)'$/gm)].map((match) => [match[1], match[2]]),
  );
}

describeE2E("a user's own project with the packed tarball, as the README and docs say (journeys)", () => {
  beforeAll(() => {
    sandbox = mkdtempSync(path.join(tmpdir(), "journey-project-"));
    // The package exactly as npm would publish it (dist/ was built by `npm test`'s pretest).
    execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", sandbox], { cwd: ROOT, stdio: "ignore" });
    tarball = path.join(sandbox, readdirSync(sandbox).find((name) => name.endsWith(".tgz")) as string);
  });
  afterAll(async () => {
    for (const started of journeys) await started.close();
    if (sandbox) rmSync(sandbox, { recursive: true, force: true });
  });

  it("the README: install, the emulator, the CLI imports devices and notifies once per deploy", async () => {
    const { journey: readme, dir } = journey("project");
    const blocks = journeyBlocks("project").filter((block) => block.file === "README.md");
    const runs = await readme.runAll(blocks);
    for (const bin of ["onesignal-emulator", "pulumi-onesignal", "pulumi-resource-onesignal"]) {
      expect(existsSync(path.join(dir, "node_modules", ".bin", bin)), bin).toBe(true);
    }
    expect(runs.at(-1)?.output).toContain("Imported 1 of 1 devices");
    // The same step again, as a re-run of the pipeline: the derived key sends nothing twice.
    await readme.run(blocks.at(-1) as (typeof blocks)[number]);
    const env = envOf(path.join(dir, ".onesignal/env"));
    const requests = (await (await fetch(`${env.ONESIGNAL_API_URL}/_emulator/requests`)).json()) as {
      method: string;
      path: string;
      status: number;
    }[];
    const sends = requests.filter((request) => request.method === "POST" && request.path === "/notifications");
    expect(sends.map((request) => request.status)).toEqual([200, 200]);
    const listed = (await (
      await fetch(`${env.ONESIGNAL_API_URL}/notifications?app_id=${env.ONESIGNAL_APP_ID}`, {
        headers: { authorization: `Key ${env.ONESIGNAL_APP_API_KEY}` },
      })
    ).json()) as { total_count: number };
    expect(listed.total_count).toBe(1);
  });

  it("the CLI and functions pages: every command they show, against the emulator", async () => {
    const { journey: cli } = journey("cli");
    const runs = await cli.runAll(journeyBlocks("cli"));
    const output = runs.map((run) => run.output).join("\n");
    expect(output).toContain("Imported 2 of 2 devices");
    expect(output).toMatch(/Wrote \d+ devices to devices\.csv/);
    // Adopting in bulk (provider-plugin.md): the app, a segment and a template adopted; the next up changes nothing.
    const adopted = runs.at(-1)?.output ?? "";
    expect(adopted).toContain("3 to import (1 App, 1 Segment, 1 Template).");
    expect(adopted).toMatch(/skipped ApiKey "emulator" \(.*\): OneSignal shows a key's secret only when it is made/);
    expect(adopted).toMatch(/= 3 imported/);
    expect(adopted.slice(adopted.lastIndexOf("Resources:"))).toMatch(/4 unchanged/);
  });

  it("the quickstart copied out of the tarball: installs, deploys, a second deploy changes nothing, and the policy pack passes its preview", async () => {
    const { journey: copied, dir } = journey("copied-quickstart");
    const runs = await copied.runAll(journeyBlocks("copied-quickstart"));
    expect(existsSync(path.join(dir, "index.ts"))).toBe(true);
    const deployed = runs.at(-2)?.output ?? "";
    expect(deployed.slice(deployed.lastIndexOf("Resources:"))).toMatch(/3 unchanged/);
    // The policy pack, from the installed tarball, passes the dev stack's preview.
    const guarded = runs.at(-1)?.output ?? "";
    expect(guarded).toMatch(/Policies:\s+✅ onesignal@v0\.1\.0 \(local: /);
    expect(guarded.slice(guarded.lastIndexOf("Resources:"))).toMatch(/3 unchanged/);
  });
});
