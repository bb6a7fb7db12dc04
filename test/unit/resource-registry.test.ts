/**
 * The registry has one row per resource type, and every consumer reads it: the package's exports, the resource
 * classes (their type tokens and thin providers), the thin provider modules, the plugin, the schema and the
 * reference docs. A fifth resource that misses any of them fails here, naming the consumer. The consumers that load a
 * row's module by its name run from `dist/` (as they do for users), which vitest's set-up has just built.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { registration } from "../../provider/resources/declare";
import {
  dynamicTypeToken,
  pluginTypeToken,
  RESOURCE_ROWS,
  RESOURCES,
  type ResourceRow,
  rowOfPluginType,
} from "../../provider/resources/registry";
import { generateSchema } from "../../scripts/schema";
import { ROOT } from "../support/processes";

/** A module of the built package, as Node loads it. */
function built(file: string): Record<string, unknown> {
  return require(path.join(ROOT, "dist", "provider", file));
}
const pkg = built("index.js");
const { implementationOf } = built("resources/implementations.js") as { implementationOf(row: ResourceRow): object };
const { OneSignalProvider } = built("resources/provider-base.js") as { OneSignalProvider: abstract new () => object };

type Registered = { type: string; inputs: Record<string, unknown> };
const registered = new Map<string, Registered>();

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.set(args.name, { type: args.type, inputs: args.inputs as Record<string, unknown> });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "registry",
    "dev",
    false,
  );
});

/** Arguments that each type's class takes (not checked here: registration only). */
const ARGS: Record<string, Record<string, unknown>> = {
  App: { name: "Shop", apnsP8: "key material" },
  ApiKey: { appId: "a1" },
  Segment: { appId: "a1", name: "VIP", filters: [], apiKey: "app key" },
  Template: { appId: "a1", name: "Hi", channel: "push", contents: { en: "Hi" }, apiKey: "app key" },
};

/** The Markdown of one `## <name>` section of docs/resources.md. */
function docsSection(name: string): string {
  const text = readFileSync(path.join(ROOT, "docs", "resources.md"), "utf8");
  const start = text.indexOf(`\n## ${name}\n`);
  if (start < 0) return "";
  const end = text.indexOf("\n## ", start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

describe.each(RESOURCE_ROWS.map((row) => [row.name, row] as [string, ResourceRow]))(
  "the registry row %s",
  (name, row) => {
    it("is the package's export of that name, a class that registers the row's dynamic type", async () => {
      const exported = pkg[name];
      expect(typeof exported).toBe("function");
      const resourceClass = exported as new (name: string, args: object) => pulumi.CustomResource;
      const resource = new resourceClass(`${name}-registry`, ARGS[name] ?? {});
      await new Promise((resolve) => resource.urn.apply(resolve));
      const seen = registered.get(`${name}-registry`);
      expect(seen?.type).toBe(dynamicTypeToken(row));
      // The provider it registered is the row's thin provider, which loads the row's implementation.
      expect(String(seen?.inputs.__provider)).toContain(`pulumi-onesignal/dist/provider/resources/${row.module}.js`);
      expect(String(seen?.inputs.__provider)).toContain(row.provider);
    });

    it("names a module whose provider is the one instance of its provider class, forwarded to by thin/<module>", () => {
      const module = built(`resources/${row.module}.js`);
      const providerClass = module[row.providerClass] as new () => unknown;
      expect(module[row.provider]).toBeInstanceOf(providerClass);
      expect(new providerClass()).toBeInstanceOf(OneSignalProvider);
      expect(module[name]).toBe(pkg[name]);
      const forwarded = built(`resources/thin/${row.module}.js`);
      for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
        expect(typeof forwarded[method], `thin/${row.module} forwards ${method}`).toBe("function");
      }
    });

    it("is served by the plugin under its type token, with the same implementation", () => {
      expect(rowOfPluginType(pluginTypeToken(row))).toBe(row);
      expect(implementationOf(row)).toBeInstanceOf(OneSignalProvider);
    });

    it("marks its secret outputs secret wherever they go: the class's options, secret inputs, the schema", () => {
      const given = Object.fromEntries(row.secretOutputs.map((key) => [key, "secret value"]));
      const [props, options] = registration(row, "r", given, undefined);
      expect(options.additionalSecretOutputs).toEqual([...row.secretOutputs]);
      for (const key of row.secretOutputs) expect(pulumi.Output.isInstance(props[key]), key).toBe(true);
      const schema = generateSchema() as {
        resources: Record<string, { properties: Record<string, { secret?: boolean }> }>;
      };
      const spec = schema.resources[pluginTypeToken(row)];
      expect(spec, `the schema has ${pluginTypeToken(row)}`).toBeDefined();
      for (const key of row.secretOutputs) expect(spec?.properties[key]?.secret, `${name}.${key}`).toBe(true);
    });

    it("has its section in docs/resources.md, which calls each secret output secret", () => {
      const section = docsSection(name);
      expect(section, `docs/resources.md has a "## ${name}" section`).not.toBe("");
      for (const key of row.secretOutputs) {
        const lines = section.split("\n").filter((line) => line.includes(`\`${key}\``));
        expect(
          lines.some((line) => /secret/i.test(line)),
          `docs/resources.md says ${name}.${key} is secret`,
        ).toBe(true);
      }
    });
  },
);

describe("the registry", () => {
  it("holds one row per exported resource class, by a unique name and module", () => {
    expect(Object.keys(RESOURCES)).toEqual(RESOURCE_ROWS.map((row) => row.name));
    expect(new Set(RESOURCE_ROWS.map((row) => row.module)).size).toBe(RESOURCE_ROWS.length);
  });
});
