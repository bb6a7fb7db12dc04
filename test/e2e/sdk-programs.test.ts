import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { onPath } from "../../provider/runner/find-cli";
import { collectOutput, ROOT } from "../support/processes";
import { describeE2E, pulumiCli } from "../support/pulumi";
import { pythonMissing, pythonWith } from "../support/python-venv";
import { useEmulator } from "../support/use-emulator";

const { emulator } = useEmulator();

/** What the examples print: the changes and the outputs (secret ones masked). */
interface Printed {
  changes: Record<string, number>;
  outputs?: Record<string, { value: unknown; secret: boolean }>;
}

/** One language's example program, made ready to run in `sandbox` as its README says: its command line and env. */
interface Language {
  name: string;
  /** The name its apps take by default (`APP_NAME`). */
  appName: string;
  prepare(sandbox: string): { command: string[]; env?: Record<string, string> };
}

function succeed(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  const ran = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 1 << 26 });
  if (ran.error) throw ran.error;
  expect(ran.status, `${command} ${args.join(" ")}:\n${ran.stderr}`).toBe(0);
}

const LANGUAGES: Language[] = [
  {
    name: "Python (examples/python with sdk/python, pip-installed)",
    appName: "python-shop",
    prepare(sandbox) {
      const missing = pythonMissing();
      if (missing) throw new Error(missing);
      const python = pythonWith(["pulumi==3.248.0", "parver==0.5"]);
      // `pip install ./sdk/python` (from a copy: pip builds in place), into a directory of the test's own rather
      // than the shared virtualenv, found through PYTHONPATH.
      cpSync(path.join(ROOT, "sdk", "python"), path.join(sandbox, "sdk-python"), { recursive: true });
      const site = path.join(sandbox, "site");
      succeed(
        python,
        ["-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps", "-t", site, "./sdk-python"],
        sandbox,
      );
      return { command: [python, path.join(ROOT, "examples", "python", "main.py")], env: { PYTHONPATH: site } };
    },
  },
  {
    name: "Go (examples/go with sdk/go by a replace)",
    appName: "go-shop",
    prepare(sandbox) {
      const go = onPath("go");
      if (!go) throw new Error("Go is not on PATH: install Go 1.25 or newer");
      const binary = path.join(sandbox, "onesignal-go");
      succeed(go, ["build", "-o", binary, "."], path.join(ROOT, "examples", "go"));
      return { command: [binary] };
    },
  },
];

/** Runs `command` with `extra` environment, as a user's shell would; resolves to the JSON line it printed. */
function runExample(
  command: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  extra: Record<string, string>,
): Promise<Printed> {
  const [program, ...args] = command as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, env: { ...env, ...extra } });
    const output = collectOutput(child);
    child.once("error", reject);
    child.once("close", (code) => {
      const last = output.stdout().trim().split("\n").pop() ?? "";
      if (code !== 0) reject(new Error(`${command.join(" ")} exited ${code}:\n${output.both()}`));
      else resolve(JSON.parse(last) as Printed);
    });
  });
}

for (const language of LANGUAGES) {
  describeE2E(`the ${language.name} on the real engine, inline`, () => {
    let sandbox: string;
    let command: string[];
    let env: NodeJS.ProcessEnv;
    const example = (operation: string, extra: Record<string, string> = {}) =>
      runExample([...command, operation], env, sandbox, extra);

    beforeAll(() => {
      sandbox = mkdtempSync(path.join(tmpdir(), "sdk-program-"));
      const prepared = language.prepare(sandbox);
      command = prepared.command;
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
        PULUMI_HOME: path.join(sandbox, "home"),
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE: "sdk-program-test",
        PULUMI_WORK_DIR: path.join(sandbox, "work"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        ONESIGNAL_API_URL: emulator.url,
        ONESIGNAL_ORGANIZATION_API_KEY: emulator.organizationApiKey,
        ...prepared.env,
      };
    }, 600_000);
    afterAll(() => {
      if (sandbox) rmSync(sandbox, { recursive: true, force: true });
    });

    it("previews, creates, changes nothing, updates once, feeds a resource from a function, adopts and destroys", async () => {
      const org = emulator.organizationApiKey;
      const renamedTo = `${language.appName}-2`;
      // Preview: the plan, and not one request.
      let printed: Printed = { changes: {} };
      expect(
        await emulator.requestsDuring(async () => {
          printed = await example("preview");
        }),
      ).toEqual([]);
      expect(printed.changes).toMatchObject({ create: 3 });

      const up = await example("up");
      expect(up.changes).toMatchObject({ create: 3 });
      const appId = up.outputs?.appId?.value as string;
      expect(up.outputs?.apiKey).toEqual({ value: "[secret]", secret: true });
      const apps = (await emulator.api<{ id: string; name: string }[]>("GET", "/apps", org)).body;
      expect(apps.filter((app) => app.name === language.appName).map((app) => app.id)).toEqual([appId]);

      // A second up: nothing changes, nothing is asked of OneSignal.
      const again = await emulator.requestsDuring(async () => {
        expect((await example("up")).changes).toEqual({ same: 3 });
      });
      expect(again).toEqual([]);

      // One change, one write.
      const renamed = await emulator.requestsDuring(async () => {
        expect((await example("up", { APP_NAME: renamedTo })).changes).toMatchObject({ update: 1, same: 2 });
      });
      expect(renamed).toEqual([`PUT /apps/${appId}`]);

      // The look-up function's answer names a new segment.
      const lookedUp = await example("up", { APP_NAME: renamedTo, LOOKUP: "1" });
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
      expect(testers.body.payload.name).toBe(`${renamedTo} testers`);

      // A segment made outside the stack, adopted with the `import` option: read, not made.
      const vips = await emulator.api<{ id: string }>("POST", `/apps/${appId}/segments`, appKey, {
        name: "VIPs",
        filters: [{ field: "session_count", relation: ">", value: "10" }],
      });
      const adopting = { APP_NAME: renamedTo, LOOKUP: "1", ONESIGNAL_APP_API_KEY: appKey };
      let imported: Printed = { changes: {} };
      const importRequests = await emulator.requestsDuring(async () => {
        imported = await example("up", { ...adopting, IMPORT_SEGMENT: `${appId}/${vips.body.id}` });
      });
      expect(imported.changes).toMatchObject({ import: 1 });
      expect(imported.outputs?.adoptedId?.value).toBe(vips.body.id);
      expect(importRequests.filter((request) => !request.startsWith("GET "))).toEqual([]);

      // Destroy: the segments and the key go; OneSignal cannot delete the app, which stays.
      const destroyed = await example("destroy", adopting);
      expect(destroyed.changes).toMatchObject({ delete: 5 });
      const left = (await emulator.api<{ segments: unknown[] }>("GET", `/apps/${appId}/segments`, appKey)).body;
      expect(left.segments).toEqual([]);
      expect((await emulator.api("GET", `/apps/${appId}`, org)).status).toBe(200);
    }, 600_000);
  });
}
