import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { emulatorStacks } from "../support/emulator-stacks";
import { appOrigins } from "../support/fixtures";
import { npm, PipelineRunner, placeLock, usePackedPackage } from "../support/pipeline";
import { ROOT } from "../support/processes";
import { describeE2E, type PulumiProject, pulumiCli, runProcess, stepsOf } from "../support/pulumi";

const stacks = emulatorStacks();
const { emulator } = stacks;

describeE2E("the package as users install it (npm pack)", () => {
  stacks.use();
  const { packed } = usePackedPackage();

  describe.sequential("the quickstart in a fresh project", () => {
    let project: PulumiProject;
    const appUrn = "urn:pulumi:dev::onesignal-quickstart::pulumi-nodejs:dynamic/onesignal:App::app";

    it("installs, previews with no request, and serializes providers by package path", async () => {
      const dir = packed.userProject("examples/quickstart");
      npm(["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], dir);
      project = stacks.project({ dir });
      expect(
        await emulator.requestsDuring(async () => {
          expect(stepsOf(await project.preview())).toEqual(["create app", "create server-key"]);
        }),
      ).toEqual([]);
      await project.up();
      const serialized = String(project.resources().find((resource) => resource.urn === appUrn)?.inputs?.__provider);
      // From an install, the provider is one module's exports, required by package path: no code in state.
      expect(serialized).toContain('require("pulumi-onesignal/dist/provider/resources/thin/app.js")');
      expect(serialized.length).toBeLessThanOrEqual(2048);
      expect(serialized).not.toContain(emulator.organizationApiKey);
    });

    it("a second up makes no request; a rename makes one PUT; refresh sees drift; destroy deletes the key", async () => {
      expect(await emulator.requestsDuring(() => project.up())).toEqual([]);
      project.setConfig({ "quickstart:appName": "from-tarball" });
      const appId = project.resource("App", "app").id;
      expect(await emulator.requestsDuring(() => project.up())).toEqual([`PUT /apps/${appId}`]);
      await emulator.api("PUT", `/apps/${appId}`, emulator.organizationApiKey, { name: "drifted" });
      expect((await project.refresh()).changes.update).toBe(1);
      const destroyed = await emulator.requestsDuring(() => project.destroy());
      expect(destroyed).toHaveLength(1);
      expect(destroyed[0]).toMatch(new RegExp(`^DELETE /apps/${appId}/auth/tokens/`));
      project.dispose();
    });
  });

  describe.sequential("the multi-environment pipeline script, verbatim", () => {
    let runner: PipelineRunner;
    let backend: string;

    /** `./deploy.sh ARGS` as the workflow runs it; `pulumi` is the CLI (inline where there is no language host). */
    function deploy(...args: string[]) {
      return runner.deploy(...args);
    }

    /** {@link deploy}, expecting it to make no request of OneSignal. */
    async function deployWithNoRequest(...args: string[]): ReturnType<typeof deploy> {
      let result: Awaited<ReturnType<typeof deploy>> | undefined;
      expect(
        await emulator.requestsDuring(async () => {
          result = await deploy(...args);
        }),
      ).toEqual([]);
      return result as Awaited<ReturnType<typeof deploy>>;
    }

    beforeAll(async () => {
      await emulator.reset();
      backend = mkdtempSync(path.join(packed.work, "backend-"));
      runner = new PipelineRunner({
        dir: packed.userProject("examples/multi-environment"),
        home: path.join(packed.work, "pulumi-home"),
        emulator,
        backend: { PULUMI_BACKEND_URL: `file://${backend}` },
      });
    });

    it("the workflow calls the one script for every step", () => {
      const workflow = readFileSync(path.join(ROOT, "examples/multi-environment/.github/workflows/pulumi.yml"), "utf8");
      const runs = [...workflow.matchAll(/^\s+- run: (.*)$/gm)].map((match) => match[1]);
      // GitHub's own expression syntax, not a template string.
      const stack = "$" + "{{ matrix.stack }}";
      expect(runs).toEqual([
        `./deploy.sh preview ${stack}`,
        `./deploy.sh up ${stack}`,
        `./deploy.sh notify ${stack}`,
        `./deploy.sh drift ${stack}`,
      ]);
    });

    it("preview on a pull request: installs the project, plans the stack, writes nothing to OneSignal", async () => {
      const result = await deployWithNoRequest("preview", "staging");
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain("+ 9 to create");
    });

    it("up on main deploys the stack from its Pulumi.<stack>.yaml; a second up changes nothing", async () => {
      const first = await deploy("up", "staging");
      expect(first.code, first.output).toBe(0);
      expect(await appOrigins(emulator)).toEqual([["shop-staging", "https://staging.shop.example"]]);
      const second = await deployWithNoRequest("up", "staging");
      expect(second.code, second.output).toBe(0);
      expect(second.output).toContain("9 unchanged");
    });

    it("up waits for a lock held on another machine, and clears one older than DEPLOY_STALE_LOCK_AFTER", async () => {
      const holder = { pid: 4242, username: "ci", hostname: "another-runner" };
      const lock = placeLock(backend, "onesignal-multi-environment", "staging", {
        ...holder,
        timestamp: new Date(Date.now() - 60_000).toISOString(),
      });
      // Held a minute ago by a process of another machine: nothing tells that it is gone, so up waits, here not at all.
      const waited = await runProcess(
        path.join(runner.dir, "deploy.sh"),
        ["up", "staging"],
        { ...runner.env, DEPLOY_LOCK_WAIT: "0" },
        runner.dir,
      );
      expect(waited.code).not.toBe(0);
      expect(waited.output).toContain("created by ci@another-runner (pid 4242)");
      expect(waited.output).toContain("deploy.sh: the lock of pid 4242 on another-runner");
      expect(waited.output).toContain("deploy.sh: staging is still locked after 0s (DEPLOY_LOCK_WAIT)");
      expect(waited.output).not.toContain("clearing");
      expect(existsSync(lock)).toBe(true);
      // Two hours old, past the default DEPLOY_STALE_LOCK_AFTER (an hour): abandoned, cleared, and up applies.
      placeLock(backend, "onesignal-multi-environment", "staging", {
        ...holder,
        timestamp: new Date(Date.now() - 7_200_000).toISOString(),
      });
      const cleared = await deployWithNoRequest("up", "staging");
      expect(cleared.code, cleared.output).toBe(0);
      expect(cleared.output).toMatch(
        /deploy\.sh: the lock of pid 4242 on another-runner is \d+s old \(DEPLOY_STALE_LOCK_AFTER=3600\)/,
      );
      expect(cleared.output).toContain("deploy.sh: clearing the abandoned lock of staging (pulumi cancel)");
      expect(cleared.output).toContain("9 unchanged");
      expect(existsSync(lock)).toBe(false);
    });

    it("clears a lock of this machine whose process is gone, unless runners share machine names (DEPLOY_UNIQUE_HOSTNAME=no)", async () => {
      // A process of this machine that has ended: its lock was abandoned.
      const ended = spawnSync(process.execPath, ["-e", ""]);
      const lock = placeLock(backend, "onesignal-multi-environment", "staging", {
        pid: ended.pid,
        username: "ci",
        hostname: hostname(),
        timestamp: new Date(Date.now() - 60_000).toISOString(),
      });
      const shared = await runProcess(
        path.join(runner.dir, "deploy.sh"),
        ["up", "staging"],
        { ...runner.env, DEPLOY_LOCK_WAIT: "0", DEPLOY_UNIQUE_HOSTNAME: "no" },
        runner.dir,
      );
      expect(shared.code).not.toBe(0);
      expect(shared.output).toContain(`deploy.sh: the lock of pid ${ended.pid} on ${hostname()}`);
      expect(shared.output).toContain("may still be held");
      expect(existsSync(lock)).toBe(true);
      const cleared = await deployWithNoRequest("up", "staging");
      expect(cleared.code, cleared.output).toBe(0);
      expect(cleared.output).toContain(`deploy.sh: the lock of pid ${ended.pid} on this machine`);
      expect(cleared.output).toContain("outlived its process");
      expect(existsSync(lock)).toBe(false);
    });

    it("notify after up: the stack's testers hear of it, and the same step run again sends nothing more", async () => {
      const org = emulator.organizationApiKey;
      const apps = await emulator.api<{ id: string; name: string }[]>("GET", "/apps", org);
      const appId = apps.body.find((app) => app.name === "shop-staging")?.id as string;
      const key = (
        await emulator.api<{ formatted_token: string }>("POST", `/apps/${appId}/auth/tokens`, org, { name: "test" })
      ).body.formatted_token;
      await emulator.api("POST", "/players", key, {
        app_id: appId,
        device_type: 1,
        identifier: "tester-token",
        tags: { tester: "true" },
      });
      for (let run = 0; run < 2; run++) {
        const notified = await deploy("notify", "staging");
        expect(notified.code, notified.output).toBe(0);
      }
      const sent = await emulator.api<{ total_count: number; notifications: { contents: { en: string } }[] }>(
        "GET",
        `/notifications?app_id=${appId}`,
        key,
      );
      expect(sent.body.total_count).toBe(1);
      expect(sent.body.notifications[0]?.contents.en).toBe("Deployed to staging: a local build");
    });

    it("refuses a wrong call with its usage, and a missing key by name", async () => {
      const wrong = await deploy("deploy", "staging");
      expect(wrong.code).toBe(2);
      expect(wrong.output).toContain("usage:");
      const cli = pulumiCli();
      const missing = await runProcess(
        path.join(runner.dir, "deploy.sh"),
        ["up", "dev"],
        { PATH: [...cli.pathDirs, process.env.PATH ?? ""].join(path.delimiter) },
        runner.dir,
      );
      expect(missing.code).not.toBe(0);
      expect(missing.output).toContain("set ONESIGNAL_ORGANIZATION_API_KEY");
    });
  });
});
