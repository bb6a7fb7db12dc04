import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildArchive } from "../../scripts/plugin-archive";
import { emulatorStacks } from "../support/emulator-stacks";
import { ROOT } from "../support/processes";
import { describeE2E, type PulumiProject, pulumiCli, stepsOf } from "../support/pulumi";

const stacks = emulatorStacks();
const { emulator } = stacks;
let work: string;
let tarball: string;
let archive: string;

const PROGRAM = `runtime: yaml
resources:
  app:
    type: onesignal:App
    properties:
      name: \${pulumi.project}
  key:
    type: onesignal:ApiKey
    properties:
      appId: \${app.id}
outputs:
  token: \${key.token}
`;
const AMBIENT = "using pulumi-resource-onesignal from $PATH";

/** PATH without any package's bins (vitest runs with this repository's on it). */
const PATH_WITHOUT_BINS = (process.env.PATH ?? "")
  .split(path.delimiter)
  .filter((dir) => !dir.endsWith(`node_modules${path.sep}.bin`))
  .join(path.delimiter);

/**
 * A YAML project of its own in `work`; `extra` goes into Pulumi.yaml. Unless `npm` says it is a package,
 * it has an empty node_modules and runs with no package's bins on PATH.
 */
function yamlProject(name: string, extra = "", npm = false): { dir: string; project: PulumiProject } {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\n${PROGRAM}${extra}`);
  if (!npm) mkdirSync(path.join(dir, "node_modules"));
  const project = stacks.project({ dir, ...(npm ? {} : { env: { PATH: PATH_WITHOUT_BINS } }) });
  return { dir, project };
}

/** Up, and what it proves: the app and its key, one request each, the key working. */
async function upCreatesAppAndKey(project: PulumiProject): Promise<void> {
  const requests = await emulator.requestsDuring(async () => {
    const result = await project.up();
    expect(stepsOf(result)).toEqual(["create app", "create key"]);
    expect(result.outputs.token).toEqual({ value: "[secret]", secret: true });
    const token = String(project.stackOutputs().token);
    const appId = project.resource("App", "app").id;
    expect((await emulator.api("GET", `/apps/${appId}`, token)).status).toBe(200);
  });
  expect(requests.filter((request) => request.startsWith("POST "))).toHaveLength(2);
}

describeE2E("the provider plugin installed as users install it", () => {
  stacks.use();
  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "pulumi-onesignal-plugin-"));
    execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", work], { cwd: ROOT, stdio: "ignore" });
    const packed = readdirSync(work).find((file) => file.endsWith(".tgz"));
    if (!packed) throw new Error("npm pack made no tarball");
    tarball = path.join(work, packed);
    archive = buildArchive(path.join(work, "release"), tarball, () => true);
  }, 600_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("from npm: the package's bin on PATH (as under npx) serves a YAML program", async () => {
    const { dir, project } = yamlProject("from-npm", "", true);
    writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ private: true, dependencies: { "pulumi-onesignal": `file:${tarball}` } }),
    );
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], {
      cwd: dir,
      stdio: "ignore",
    });
    await upCreatesAppAndKey(project);
    expect(project.lastOutput).toContain(`${AMBIENT} at ${path.join(dir, "node_modules", ".bin")}`);
  });

  it("from the release archive, named in Pulumi.yaml's plugins entry", async () => {
    const unpacked = path.join(work, "unpacked");
    mkdirSync(unpacked);
    execFileSync("tar", ["-xzf", archive, "-C", unpacked]);
    const { project } = yamlProject(
      "from-plugins-entry",
      `plugins:\n  providers:\n    - name: onesignal\n      path: ${unpacked}\n`,
    );
    await upCreatesAppAndKey(project);
    expect(project.lastOutput).not.toContain(AMBIENT);
  });

  it("from the release archive, installed with `pulumi plugin install`; a lost create is still made once", async () => {
    const { project } = yamlProject("from-plugin-install");
    const cli = pulumiCli();
    const env = {
      ...process.env,
      PATH: [...cli.pathDirs, PATH_WITHOUT_BINS].join(path.delimiter),
      PULUMI_HOME: path.join(project.stateDir, "home"),
      PULUMI_SKIP_UPDATE_CHECKS: "true",
    };
    const version = JSON.parse(
      execFileSync("npm", ["pkg", "get", "version"], { cwd: ROOT, encoding: "utf8" }),
    ) as string;
    const install = spawnSync(
      cli.cli,
      ["plugin", "install", "resource", "onesignal", `v${version}`, "--file", archive],
      {
        env,
        encoding: "utf8",
      },
    );
    expect(install.status, install.stderr).toBe(0);
    const listed = spawnSync(cli.cli, ["plugin", "ls"], { env, encoding: "utf8" });
    expect(listed.stdout).toMatch(new RegExp(`onesignal\\s+resource\\s+${version.replaceAll(".", "\\.")}`));

    // The create's answer is lost after OneSignal made the app: the plugin finds and adopts it.
    await emulator.fault({ method: "POST", path: "/apps", times: 1, afterCommit: true });
    await upCreatesAppAndKey(project);
    expect(project.lastOutput).not.toContain(AMBIENT);
    const apps = await emulator.api<{ name: string }[]>("GET", "/apps", emulator.organizationApiKey);
    expect(apps.body.filter((app) => app.name === "from-plugin-install")).toHaveLength(1);
  });
});
