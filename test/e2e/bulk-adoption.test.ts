import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, expect, it } from "vitest";
import { emulatorStacks } from "../support/emulator-stacks";
import { createAppWithKey } from "../support/fixtures";
import { ROOT } from "../support/processes";
import { describeE2E, pulumiCli, runProcess, stepsOf } from "../support/pulumi";

const stacks = emulatorStacks();
const { emulator } = stacks;
const sandbox = mkdtempSync(path.join(tmpdir(), "bulk-adoption-"));

/** An organization made in the dashboard: 3 apps, 10 segments, 5 templates, a key each. */
const ORGANIZATION = [
  {
    app: "Shop",
    segments: ["VIPs", "Dormant users", "Cart abandoners", "Newsletter"],
    templates: ["Welcome", "Weekly digest"],
  },
  { app: "Blog", segments: ["Readers", "Writers", "Editors"], templates: ["New post", "Comment reply"] },
  { app: "Games", segments: ["Players", "Whales", "Testers"], templates: ["Daily reward"] },
];

describeE2E("adopting a dashboard-made organization in bulk: import-file, then pulumi import --file (YAML)", () => {
  stacks.use();
  afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

  it("lists each app's objects with readable names, skips keys saying why, imports them all, and the next up changes nothing", async () => {
    const org = emulator.organizationApiKey;
    const made: { appId: string; appKey: string }[] = [];
    for (const { app, segments, templates } of ORGANIZATION) {
      const { appId, appKey } = await createAppWithKey(emulator, app);
      for (const name of segments) {
        await emulator.api("POST", `/apps/${appId}/segments`, appKey, {
          name,
          filters: [{ field: "tag", key: "group", relation: "=", value: name }],
        });
      }
      for (const name of templates) {
        await emulator.api("POST", "/templates", appKey, { app_id: appId, name, contents: { en: `${name}!` } });
      }
      made.push({ appId, appKey });
    }
    const cli = (args: string[]) =>
      runProcess(process.execPath, [path.join(ROOT, "dist/provider/cli/index.js"), ...args], process.env, sandbox);

    // The organization: its apps, and its keys skipped with the reason.
    const whole = await cli(["--api-url", emulator.url, "--api-key", org, "import-file", "--out", "org.json"]);
    expect(whole.code, whole.output).toBe(0);
    const listed = JSON.parse(readFileSync(path.join(sandbox, "org.json"), "utf8")) as { resources: unknown[] };
    expect(listed.resources).toEqual(
      ["shop", "blog", "games"].map((name, n) => ({ type: "onesignal:index:App", name, id: made[n]?.appId })),
    );
    expect(whole.output).toContain('skipped ApiKey "test"');
    expect(whole.output).toContain("OneSignal shows a key's secret only when it is made or rotated");

    // The provider plugin on PATH, as `pulumi plugin install` would place it.
    const plugins = path.join(sandbox, "plugins");
    mkdirSync(plugins);
    symlinkSync(
      path.join(ROOT, "bin", "pulumi-resource-onesignal.js"),
      path.join(plugins, "pulumi-resource-onesignal"),
    );
    const PATH = [...pulumiCli().pathDirs, plugins, process.env.PATH ?? ""].join(path.delimiter);

    for (const [n, { appId, appKey }] of made.entries()) {
      const { segments, templates } = ORGANIZATION[n] as (typeof ORGANIZATION)[number];
      const file = path.join(sandbox, `app-${n}.json`);
      const listedApp = await cli([
        "--api-url",
        emulator.url,
        "--api-key",
        org,
        "import-file",
        "--app-id",
        appId,
        "--app-key",
        appKey,
        "--out",
        file,
      ]);
      expect(listedApp.code, listedApp.output).toBe(0);
      const entries = (JSON.parse(readFileSync(file, "utf8")) as { resources: { type: string; name: string }[] })
        .resources;
      expect(entries).toHaveLength(1 + segments.length + templates.length);
      expect(entries.map((entry) => entry.name)).toContain(segments[0]?.toLowerCase().replace(/ /g, "-"));

      // A YAML project with nothing declared yet: `pulumi import --file` adopts everything and writes the program.
      const dir = path.join(sandbox, `project-${n}`);
      mkdirSync(dir);
      const header = `name: adopted-${n}\nruntime: yaml\n`;
      writeFileSync(path.join(dir, "Pulumi.yaml"), header);
      const project = stacks.project({ dir, env: { PATH }, secrets: { "onesignal:appApiKey": appKey } });
      await project.preview();
      const generated = path.join(sandbox, `program-${n}.yaml`);
      const imported = await project.runCli([
        "import",
        "--file",
        file,
        "--yes",
        "--protect=false",
        "--out",
        generated,
        "--stack",
        project.stack,
      ]);
      expect(imported.code, imported.output).toBe(0);
      expect(project.resources().filter((resource) => resource.type.startsWith("onesignal:index:"))).toHaveLength(
        entries.length,
      );

      // The program it wrote ties each segment and template to the adopted app; deployed, nothing changes, and
      // OneSignal is asked nothing.
      const program = readFileSync(generated, "utf8");
      expect(program.split(`appId: \${${entries[0]?.name}.id}`)).toHaveLength(segments.length + templates.length + 1);
      writeFileSync(path.join(dir, "Pulumi.yaml"), header + program);
      let steps: string[] = [];
      const requests = await emulator.requestsDuring(async () => {
        steps = stepsOf(await project.up());
      });
      expect(steps.sort()).toEqual(entries.map((entry) => `same ${entry.name}`).sort());
      expect(requests).toEqual([]);
    }
  }, 900_000);
});
