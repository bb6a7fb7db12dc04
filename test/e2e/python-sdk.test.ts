import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOT } from "../support/processes";
import { describeE2E, pulumiCli } from "../support/pulumi";
import { pythonMissing, pythonWith } from "../support/python-venv";
import { useEmulator } from "../support/use-emulator";

const { emulator } = useEmulator();
const EXAMPLE = path.join(ROOT, "examples", "python", "main.py");

/** What examples/python/main.py prints: the changes and the outputs (secret ones masked). */
interface Printed {
  changes: Record<string, number>;
  outputs?: Record<string, { value: unknown; secret: boolean }>;
}

let sandbox: string;
let python: string;
let env: NodeJS.ProcessEnv;

/** Runs the example with `args` and `extra` environment, as a user's shell would; resolves to what it printed. */
function example(args: string[], extra: Record<string, string> = {}): Promise<Printed> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [EXAMPLE, ...args], { cwd: sandbox, env: { ...env, ...extra } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => {
      const last = stdout.trim().split("\n").pop() ?? "";
      if (code !== 0) reject(new Error(`python main.py ${args.join(" ")} exited ${code}:\n${stderr}\n${stdout}`));
      else resolve(JSON.parse(last) as Printed);
    });
  });
}

describeE2E("the Python SDK (sdk/python, pip-installed) on the real engine: examples/python, inline", () => {
  beforeAll(() => {
    const missing = pythonMissing();
    if (missing) throw new Error(missing);
    python = pythonWith(["pulumi==3.248.0", "parver==0.5"]);
    sandbox = mkdtempSync(path.join(tmpdir(), "python-sdk-"));
    // `pip install ./sdk/python` (from a copy: pip builds in place), into a directory of the test's own rather than
    // the shared virtualenv.
    const site = path.join(sandbox, "site");
    cpSync(path.join(ROOT, "sdk", "python"), path.join(sandbox, "sdk-python"), { recursive: true });
    const installed = spawnSync(
      python,
      ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--target", site, "./sdk-python"],
      { cwd: sandbox, encoding: "utf8" },
    );
    expect(installed.status, installed.stderr).toBe(0);
    // The plugin on PATH, as `pulumi plugin install` or a release would place it.
    const plugins = path.join(sandbox, "plugins");
    mkdirSync(plugins);
    symlinkSync(
      path.join(ROOT, "bin", "pulumi-resource-onesignal.js"),
      path.join(plugins, "pulumi-resource-onesignal"),
    );
    const backend = path.join(sandbox, "backend");
    mkdirSync(backend);
    env = {
      ...process.env,
      PATH: [...pulumiCli().pathDirs, plugins, process.env.PATH ?? ""].join(path.delimiter),
      PYTHONPATH: site,
      PULUMI_HOME: path.join(sandbox, "home"),
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_CONFIG_PASSPHRASE: "python-sdk-test",
      PULUMI_WORK_DIR: path.join(sandbox, "work"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      ONESIGNAL_API_URL: emulator.url,
      ONESIGNAL_ORGANIZATION_API_KEY: emulator.organizationApiKey,
    };
  });
  afterAll(() => {
    if (sandbox) rmSync(sandbox, { recursive: true, force: true });
  });

  it("previews, creates, changes nothing, updates once, feeds a resource from a function, adopts and destroys", async () => {
    const org = emulator.organizationApiKey;
    // Preview: the plan, and not one request.
    let printed: Printed = { changes: {} };
    expect(
      await emulator.requestsDuring(async () => {
        printed = await example(["preview"]);
      }),
    ).toEqual([]);
    expect(printed.changes).toMatchObject({ create: 3 });

    const up = await example(["up"]);
    expect(up.changes).toMatchObject({ create: 3 });
    const appId = up.outputs?.appId?.value as string;
    expect(up.outputs?.apiKey).toEqual({ value: "[secret]", secret: true });
    const apps = (await emulator.api<{ id: string; name: string }[]>("GET", "/apps", org)).body;
    expect(apps.filter((app) => app.name === "python-shop").map((app) => app.id)).toEqual([appId]);

    // A second up: nothing changes, nothing is asked of OneSignal.
    expect(
      await emulator.requestsDuring(async () => expect((await example(["up"])).changes).toEqual({ same: 3 })),
    ).toEqual([]);

    // One change, one write.
    const renamed = await emulator.requestsDuring(async () => {
      expect((await example(["up"], { APP_NAME: "python-shop-2" })).changes).toMatchObject({ update: 1, same: 2 });
    });
    expect(renamed).toEqual([`PUT /apps/${appId}`]);

    // The get_app function's answer names a new segment.
    const lookedUp = await example(["up"], { APP_NAME: "python-shop-2", LOOKUP: "1" });
    expect(lookedUp.changes).toMatchObject({ create: 1 });
    const segmentId = lookedUp.outputs?.segmentId?.value as string;
    const key = await emulator.api<{ formatted_token: string }>("POST", `/apps/${appId}/auth/tokens`, org, {
      name: "reader",
    });
    const appKey = key.body.formatted_token;
    const testers = await emulator.api<{ payload: { name: string } }>(
      "GET",
      `/apps/${appId}/segments/${segmentId}?include-segment-detail=true`,
      appKey,
    );
    expect(testers.body.payload.name).toBe("python-shop-2 testers");

    // A segment made outside the stack, adopted with the `import` option: read, not made.
    const vips = await emulator.api<{ id: string }>("POST", `/apps/${appId}/segments`, appKey, {
      name: "VIPs",
      filters: [{ field: "session_count", relation: ">", value: "10" }],
    });
    const adopting = { APP_NAME: "python-shop-2", LOOKUP: "1", ONESIGNAL_APP_API_KEY: appKey };
    let imported: Printed = { changes: {} };
    const importRequests = await emulator.requestsDuring(async () => {
      imported = await example(["up"], { ...adopting, IMPORT_SEGMENT: `${appId}/${vips.body.id}` });
    });
    expect(imported.changes).toMatchObject({ import: 1 });
    expect(imported.outputs?.adoptedId?.value).toBe(vips.body.id);
    expect(importRequests.filter((request) => !request.startsWith("GET "))).toEqual([]);

    // Destroy: the segments and the key go; OneSignal cannot delete the app, which stays.
    const destroyed = await example(["destroy"], adopting);
    expect(destroyed.changes).toMatchObject({ delete: 5 });
    const left = (await emulator.api<{ segments: unknown[] }>("GET", `/apps/${appId}/segments`, appKey)).body;
    expect(left.segments).toEqual([]);
    expect((await emulator.api("GET", `/apps/${appId}`, org)).status).toBe(200);
  }, 600_000);
});
