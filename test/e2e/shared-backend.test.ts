/**
 * The pipeline example at team scale: several runners, each with its own checkout and Pulumi home, run
 * `./deploy.sh up` at once against one PostgreSQL server as the Pulumi backend (`postgres://`, the CLI's DIY
 * backend) and one OneSignal organization (the emulator). The backend lets one update of a stack run at a time and
 * refuses the others at once; the script waits and tries again, and clears a lock only when its holder is gone.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { TestEmulator } from "../support/emulator";
import { type DeployRun, PipelineRunner, usePackedPackage } from "../support/pipeline";
import { usePostgres } from "../support/postgres";
import { describeE2E, pulumiCli } from "../support/pulumi";
import { useEmulator } from "../support/use-emulator";

const WAITING = /another update holds staging; trying again in \d+s/;
const CLEARING = "deploy.sh: clearing the abandoned lock of staging (pulumi cancel)";

/** A key of the test's own for each app it counts in, made once (and left out of the counts). */
const countingKeys = new Map<string, string>();

/** What one stack made in OneSignal, counted there: its apps by name, and each app's keys, segments and templates. */
async function madeInOneSignal(emulator: TestEmulator, appName: string) {
  const org = emulator.organizationApiKey;
  const apps = (await emulator.api<{ id: string; name: string }[]>("GET", "/apps", org)).body.filter(
    (app) => app.name === appName,
  );
  const counts = [];
  for (const app of apps) {
    let key = countingKeys.get(app.id);
    if (!key) {
      key = (
        await emulator.api<{ formatted_token: string }>("POST", `/apps/${app.id}/auth/tokens`, org, { name: "count" })
      ).body.formatted_token;
      countingKeys.set(app.id, key);
    }
    const keys = await emulator.api<{ tokens: { name: string }[] }>("GET", `/apps/${app.id}/auth/tokens`, org);
    const segments = await emulator.api<{ segments: { name: string }[] }>("GET", `/apps/${app.id}/segments`, key);
    const templates = await emulator.api<{ templates: { name: string }[] }>("GET", `/templates?app_id=${app.id}`, key);
    counts.push({
      keys: keys.body.tokens
        .map((token) => token.name)
        .filter((name) => name !== "count")
        .sort(),
      segments: segments.body.segments.map((segment) => segment.name).sort(),
      templates: templates.body.templates.map((template) => template.name).sort(),
    });
  }
  return { apps: apps.map((app) => app.id), counts };
}

/** The resources one stack's state holds, read from the shared backend by the CLI, as "Type name id" lines. */
function stateOf(runner: PipelineRunner, stack: string): string[] {
  const cli = pulumiCli();
  const exported = spawnSync(cli.cli, ["stack", "export", "--stack", stack], {
    cwd: runner.dir,
    env: runner.env,
    encoding: "utf8",
  });
  if (exported.status !== 0) throw new Error(`pulumi stack export failed: ${exported.stderr}`);
  const deployment = JSON.parse(exported.stdout) as {
    deployment: { resources?: { urn: string; type: string; id?: string }[]; pending_operations?: unknown[] };
  };
  expect(deployment.deployment.pending_operations ?? []).toEqual([]);
  return (deployment.deployment.resources ?? [])
    .filter((resource) => resource.type.startsWith("pulumi-nodejs:dynamic"))
    .map((resource) => `${resource.type.split(":").pop()} ${resource.urn.split("::").pop()} ${resource.id}`)
    .sort();
}

/** Every file under a directory, as text (to look for a secret in it). */
function filesUnder(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), "utf8"))
    .join("\n");
}

describeE2E("the pipeline on a shared PostgreSQL backend", () => {
  const { emulator } = useEmulator();
  const { postgres } = usePostgres();
  const { packed } = usePackedPackage();
  const runners: PipelineRunner[] = [];
  const outputs: string[] = [];

  /** Runner `index`'s checkout of the example, its home, and the backend: the URL, the password apart. */
  function runner(index: number): PipelineRunner {
    return runners[index] as PipelineRunner;
  }

  async function deployAtOnce(...runs: [PipelineRunner, string][]): Promise<DeployRun[]> {
    const results = await Promise.all(runs.map(([each, stack]) => each.deploy("up", stack)));
    outputs.push(...results.map((result) => result.output));
    return results;
  }

  beforeAll(() => {
    for (const name of ["runner-a", "runner-b", "runner-c"]) {
      runners.push(
        new PipelineRunner({
          dir: packed.userProject("examples/multi-environment", name),
          home: path.join(packed.work, `${name}-home`),
          emulator,
          backend: { PULUMI_BACKEND_URL: postgres.url, PGPASSWORD: postgres.password },
          // The shortest pause between tries is 5-10 s; the tests need not wait longer than the other update.
          env: { DEPLOY_LOCK_WAIT: "600" },
        }),
      );
    }
  });

  describe.sequential("two pipelines, one stack, one organization", () => {
    it("two ups of one stack at once: one applies, the other waits for the lock and then applies; nothing is made twice", async () => {
      // The first creates (the app, then its keys) are slow to answer, 20 s each (the client waits 30 s): the update
      // that makes them holds the stack long enough for the other pipeline's up to meet the lock.
      await emulator.fault({ method: "POST", path: "/apps", delayMs: 20_000, times: 3 });
      const [first, second] = await deployAtOnce([runner(0), "staging"], [runner(1), "staging"]);
      const both = `${first?.output}\n----\n${second?.output}`;
      expect(first?.code, both).toBe(0);
      expect(second?.code, both).toBe(0);
      const waited = [first, second].filter((run) => WAITING.test(run?.output ?? ""));
      expect(waited).toHaveLength(1);
      expect(waited[0]?.output).toContain("the stack is currently locked by 1 lock(s)");
      for (const run of [first, second]) expect(run?.output).not.toContain(CLEARING);

      const made = await madeInOneSignal(emulator, "shop-staging");
      expect(made.counts).toEqual([
        {
          keys: ["backend-staging", "deploy-staging"],
          segments: ["Active users", "Dormant users", "Testers"],
          templates: ["Weekly digest", "Welcome"],
        },
      ]);
      // Both runners read the same state, and it names what OneSignal holds.
      const state = stateOf(runner(0), "staging");
      expect(state).toEqual(stateOf(runner(1), "staging"));
      expect(state).toHaveLength(8);
      expect(state).toContain(`App app ${made.apps[0]}`);
    });

    it("ups of different stacks at once all apply, each without waiting", async () => {
      const runs = await deployAtOnce([runner(0), "dev"], [runner(1), "staging"], [runner(2), "production"]);
      for (const run of runs) {
        expect(run.code, run.output).toBe(0);
        expect(run.output).not.toMatch(/another update holds/);
      }
      expect(runs[1]?.output).toContain("9 unchanged");
      for (const name of ["shop-dev", "shop-staging", "shop"]) {
        expect((await madeInOneSignal(emulator, name)).apps).toHaveLength(1);
      }
      expect(stateOf(runner(2), "dev")).toHaveLength(8);
      expect(stateOf(runner(0), "production")).toHaveLength(8);
    });

    it("a runner killed during up leaves its lock; the next run clears it, its holder being gone, and applies", async () => {
      // A new commit on runner A: staging's app gets another name. Its update is held at the app's PUT.
      const set = spawnSync(
        pulumiCli().cli,
        ["config", "set", "audiences:appName", "shop-staging-2", "--stack", "staging"],
        {
          cwd: runner(0).dir,
          env: runner(0).env,
          encoding: "utf8",
        },
      );
      expect(set.status, set.stderr).toBe(0);
      await emulator.fault({ method: "PUT", path: "/apps/", delayMs: 25_000, times: 1 });
      const killed = runner(0).start("up", "staging");
      while (!/Updating \(staging\)/.test(killed.output())) {
        if (
          (await Promise.race([killed.exited, new Promise((resolve) => setTimeout(() => resolve("running"), 200))])) !==
          "running"
        ) {
          throw new Error(`deploy.sh ended before its update began:\n${killed.output()}`);
        }
      }
      await killed.killHard();
      await fetch(`${emulator.url}/_emulator/faults`, { method: "DELETE" });

      // The job run again on the same machine: the lock's process is gone, so the script clears the lock and applies.
      const rerun = await runner(0).deploy("up", "staging");
      outputs.push(rerun.output);
      expect(rerun.code, rerun.output).toBe(0);
      expect(rerun.output).toContain("the stack is currently locked by 1 lock(s)");
      expect(rerun.output).toMatch(/the lock of pid \d+ on this machine \(\S+\) outlived its process/);
      expect(rerun.output).toContain(CLEARING);
      const made = await madeInOneSignal(emulator, "shop-staging-2");
      expect(made.apps).toHaveLength(1);
      expect((await madeInOneSignal(emulator, "shop-staging")).apps).toEqual([]);
      expect(stateOf(runner(1), "staging")).toContain(`App app ${made.apps[0]}`);
    });

    it("a runner killed while OneSignal makes the app: the rerun's recovery adopts it, and nothing is made twice", async () => {
      // A new stack, qa: its first up is killed while the app's create is held; the create lands after the kill.
      const cli = (args: string[]) =>
        spawnSync(pulumiCli().cli, args, { cwd: runner(0).dir, env: runner(0).env, encoding: "utf8" });
      for (const args of [
        ["stack", "init", "qa"],
        ["config", "set", "audiences:siteUrl", "https://qa.shop.example", "--stack", "qa"],
      ]) {
        const ran = cli(args);
        expect(ran.status, ran.stderr).toBe(0);
      }
      // Held until the kill closes the run's connection, however slowly a busy machine gets there.
      await emulator.fault({ method: "POST", path: "/apps", delayMs: 600_000, endOnClose: true, times: 1 });
      const killed = runner(0).start("up", "qa");
      await emulator.waitForFaults();
      await killed.killHard();
      while ((await madeInOneSignal(emulator, "shop-qa")).apps.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }

      // The job run again: the dead run's lock is cleared, the recovery adopts its app, and up makes the rest.
      const rerun = await runner(0).deploy("up", "qa");
      outputs.push(rerun.output);
      expect(rerun.code, rerun.output).toBe(0);
      expect(rerun.output).toMatch(/App app: adopted \S+, which the interrupted create made/);
      const made = await madeInOneSignal(emulator, "shop-qa");
      expect(made.counts).toEqual([
        {
          keys: ["backend-qa", "deploy-qa"],
          segments: ["Active users", "Dormant users", "Testers"],
          templates: ["Weekly digest", "Welcome"],
        },
      ]);
      expect(stateOf(runner(1), "qa")).toContain(`App app ${made.apps[0]}`);
    });

    it("the backend's password is in no output and no file of any runner's Pulumi home", () => {
      expect(outputs.length).toBeGreaterThan(0);
      for (const output of outputs) expect(output).not.toContain(postgres.password);
      for (const each of runners) {
        const home = String(each.env.PULUMI_HOME);
        expect(filesUnder(home)).not.toContain(postgres.password);
      }
    });
  });
});
