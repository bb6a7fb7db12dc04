/**
 * The pipeline's scheduled drift check, `./deploy.sh drift STACK`, run verbatim on a deployed stack: a refreshing
 * preview that fails on any change. With OneSignal as the stack left it, it passes and writes nothing; after a change
 * made in OneSignal directly (the app's name, a segment's filters), it fails, naming the resource and the property.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type DeployRun, PipelineRunner, placeLock, usePackedPackage } from "../support/pipeline";
import { describeE2E, runProcess } from "../support/pulumi";
import { useEmulator } from "../support/use-emulator";

describeE2E("the pipeline's drift check (deploy.sh drift)", () => {
  const { emulator } = useEmulator();
  const { packed } = usePackedPackage();
  let runner: PipelineRunner;
  let backend: string;
  let appId: string;
  let deployKey: string;
  let testersId: string;

  /** A digest of every file the file backend holds (the stack's state, its history, locks). */
  function backendDigest(): string {
    const hash = createHash("sha256");
    for (const entry of readdirSync(backend, { recursive: true, withFileTypes: true })
      .filter((file) => file.isFile())
      .map((file) => path.join(file.parentPath, file.name))
      .sort()) {
      hash.update(entry).update(readFileSync(entry));
    }
    return hash.digest("hex");
  }

  /** `./deploy.sh drift staging`, with the requests it made of OneSignal and whether the backend changed. */
  async function drift(): Promise<DeployRun & { requests: string[]; stateChanged: boolean }> {
    const before = backendDigest();
    let run: DeployRun | undefined;
    const requests = await emulator.requestsDuring(async () => {
      run = await runner.deploy("drift", "staging");
    });
    return { ...(run as DeployRun), requests, stateChanged: backendDigest() !== before };
  }

  beforeAll(async () => {
    backend = mkdtempSync(path.join(packed.work, "backend-"));
    runner = new PipelineRunner({
      dir: packed.userProject("examples/multi-environment"),
      home: path.join(packed.work, "pulumi-home"),
      emulator,
      backend: { PULUMI_BACKEND_URL: `file://${backend}` },
    });
    const up = await runner.deploy("up", "staging");
    if (up.code !== 0) throw new Error(`deploy.sh up failed:\n${up.output}`);
    const apps = await emulator.api<{ id: string; name: string }[]>("GET", "/apps", emulator.organizationApiKey);
    appId = apps.body.find((app) => app.name === "shop-staging")?.id as string;
    deployKey = (
      await emulator.api<{ formatted_token: string }>(
        "POST",
        `/apps/${appId}/auth/tokens`,
        emulator.organizationApiKey,
        {
          name: "by-hand",
        },
      )
    ).body.formatted_token;
  }, 600_000);

  describe.sequential("on a deployed stack", () => {
    it("with OneSignal as the stack left it, while another update holds the stack: exits 0, reading only, state untouched", async () => {
      // Another update holds the stack meanwhile (its lock, as the backend keeps one): the check does not need it.
      const lock = placeLock(backend, "onesignal-multi-environment", "staging", {
        pid: 1,
        username: "ci",
        hostname: "another-runner",
        timestamp: new Date().toISOString(),
      });
      const blocked = await runProcess(
        path.join(runner.dir, "deploy.sh"),
        ["up", "staging"],
        { ...runner.env, DEPLOY_LOCK_WAIT: "0" },
        runner.dir,
      );
      expect(blocked.code).not.toBe(0);
      expect(blocked.output).toContain("created by ci@another-runner (pid 1)");
      expect(blocked.output).toContain("deploy.sh: staging is still locked after 0s (DEPLOY_LOCK_WAIT)");
      const result = await drift();
      rmSync(lock);
      expect(result.code, result.output).toBe(0);
      expect(result.requests.length).toBeGreaterThan(0);
      expect(result.requests.filter((request) => !request.startsWith("GET "))).toEqual([]);
      expect(result.stateChanged).toBe(false);
    });

    it("after the app is renamed in OneSignal: fails, naming the app and its name", async () => {
      const renamed = await emulator.api("PUT", `/apps/${appId}`, emulator.organizationApiKey, {
        name: "renamed-by-hand",
      });
      expect(renamed.status).toBe(200);
      const result = await drift();
      expect(result.code, result.output).not.toBe(0);
      expect(result.output).toMatch(/~ +pulumi-nodejs:dynamic\/onesignal:App app update \[diff: ~name\]/);
      expect(result.output).toContain("deploy.sh: staging has drifted from its program");
      expect(result.output).toContain("`pulumi up --refresh --stack staging` puts OneSignal back");
      expect(result.requests.filter((request) => !request.startsWith("GET "))).toEqual([]);
      expect(result.stateChanged).toBe(false);
    });

    it("after a segment's filters change too: fails, naming both resources and their properties", async () => {
      const segments = await emulator.api<{ segments: { id: string; name: string }[] }>(
        "GET",
        `/apps/${appId}/segments`,
        deployKey,
      );
      testersId = segments.body.segments.find((segment) => segment.name === "Testers")?.id as string;
      const patched = await emulator.api("PATCH", `/apps/${appId}/segments/${testersId}`, deployKey, {
        name: "Testers",
        filters: [{ field: "tag", key: "tester", relation: "=", value: "yes" }],
      });
      expect(patched.status).toBe(200);
      const result = await drift();
      expect(result.code, result.output).not.toBe(0);
      expect(result.output).toMatch(/~ +pulumi-nodejs:dynamic\/onesignal:App app update \[diff: ~name\]/);
      expect(result.output).toMatch(
        /~ +pulumi-nodejs:dynamic\/onesignal:Segment testers update \[diff: \S*~filters\S*\]/,
      );
      expect(result.requests.filter((request) => !request.startsWith("GET "))).toEqual([]);
      expect(result.stateChanged).toBe(false);
    });

    it("the remedy it names, `pulumi up --refresh`, puts OneSignal back as the program declares it; the next check passes", async () => {
      // A plain up compares the program with the state, which the check left as it was: it sees nothing to do.
      const plain = await runner.deploy("up", "staging");
      expect(plain.code, plain.output).toBe(0);
      expect(plain.output).toContain("9 unchanged");
      // `pulumi` as the pipeline has it on PATH (here the CLI with its programs inline).
      const up = await runProcess("pulumi", ["up", "--refresh", "--yes", "--stack", "staging"], runner.env, runner.dir);
      expect(up.code, up.output).toBe(0);
      const app = await emulator.api<{ name: string }>("GET", `/apps/${appId}`, emulator.organizationApiKey);
      expect(app.body.name).toBe("shop-staging");
      const testers = await emulator.api<{ payload: { filters: unknown } }>(
        "GET",
        `/apps/${appId}/segments/${testersId}?include-segment-detail=true`,
        deployKey,
      );
      expect(testers.body.payload.filters).toEqual([{ field: "tag", key: "tester", relation: "=", value: "true" }]);
      const result = await drift();
      expect(result.code, result.output).toBe(0);
      expect(result.requests.filter((request) => !request.startsWith("GET "))).toEqual([]);
    });

    it("names a stack that was never deployed instead of making it", async () => {
      const result = await runner.deploy("drift", "dev");
      expect(result.code).not.toBe(0);
      expect(result.output).toMatch(/no stack named 'dev' found/);
      expect(
        readdirSync(backend, { recursive: true })
          .map(String)
          .filter((file) => file.includes("dev")),
      ).toEqual([]);
    });
  });
});
