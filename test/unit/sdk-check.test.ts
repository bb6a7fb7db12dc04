import { describe, expect, it } from "vitest";
import { onPath } from "../../provider/runner/find-cli";
import { schemaOfFile, sdkDifferences } from "../../scripts/sdk";

const log = () => {};
// Pulumi's generators are Go code: without Go the check cannot run, which CI does not accept.
const go = onPath("go");
const testWithGo = go || process.env.CI === "true" ? it : it.skip;

describe("sdk/: the Python and Go SDKs are what the plugin's schema generates", () => {
  testWithGo(
    "match the schema, and a changed schema makes the check name the files that differ",
    async () => {
      expect(go, "Go is needed to generate the SDKs: install Go 1.25 or newer").toBeDefined();
      expect(await sdkDifferences(log)).toEqual([]);

      const schema = schemaOfFile();
      const resources = schema.resources as Record<string, { description: string }>;
      const app = resources["onesignal:index:App"] as { description: string };
      const changed = {
        ...schema,
        resources: { ...resources, "onesignal:index:App": { ...app, description: "Changed." } },
      };
      const differences = await sdkDifferences(log, changed);
      expect(differences).toContain("sdk/python/pulumi_onesignal/app.py differs");
      expect(differences).toContain("sdk/go/onesignal/app.go differs");
    },
    600_000,
  );
});
