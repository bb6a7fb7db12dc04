import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS } from "../../provider/config";
import { SECRET_APP_SETTINGS } from "../../provider/models/app";
import { pluginTypeToken, RESOURCE_ROWS } from "../../provider/resources/registry";
import { generateSchema, SCHEMA_FILE, schemaText } from "../../scripts/schema";

type ResourceSpec = {
  description: string;
  properties: Record<string, { secret?: boolean; description?: string }>;
  required: string[];
  inputProperties: Record<string, { secret?: boolean; type?: string; $ref?: string; items?: { $ref?: string } }>;
  requiredInputs: string[];
};

const schema = generateSchema() as {
  name: string;
  resources: Record<string, ResourceSpec>;
  types: Record<string, { properties: Record<string, unknown>; required?: string[] }>;
  config: { variables: Record<string, { secret?: boolean }> };
};

describe("the provider plugin's package schema", () => {
  it("is the file the plugin serves: regenerate it with `npm run -s schema` when the types change", () => {
    expect(readFileSync(SCHEMA_FILE, "utf8")).toBe(schemaText());
  });

  it("has every resource the plugin serves, and nothing else", () => {
    expect(Object.keys(schema.resources).sort()).toEqual(RESOURCE_ROWS.map(pluginTypeToken).sort());
    expect(schema.name).toBe("onesignal");
  });

  it("follows the TypeScript types: required inputs from the Args, properties from Inputs and Outputs", () => {
    const segment = schema.resources["onesignal:index:Segment"];
    expect(segment?.requiredInputs.sort()).toEqual(["appId", "filters", "name"]);
    expect(Object.keys(segment?.inputProperties ?? {}).sort()).toEqual(
      ["adoptExistingId", "apiKey", "appId", "description", "filters", "name"].sort(),
    );
    expect(segment?.inputProperties.filters).toMatchObject({
      type: "array",
      items: { $ref: "#/types/onesignal:index:SegmentFilter" },
    });
    // ApiKeyArgs makes `name` optional (it defaults to the resource name); ApiKeyInputs does not.
    const apiKey = schema.resources["onesignal:index:ApiKey"];
    expect(apiKey?.requiredInputs).toEqual(["appId"]);
    expect(apiKey?.inputProperties.rotation).toMatchObject({ oneOf: [{ type: "string" }, { type: "number" }] });
    expect(Object.keys(apiKey?.properties ?? {})).toEqual(expect.arrayContaining(["token", "tokenId", "createdAt"]));
    const template = schema.resources["onesignal:index:Template"];
    expect(template?.inputProperties.contents).toMatchObject({
      type: "object",
      additionalProperties: { type: "string" },
    });
    expect(schema.types["onesignal:index:TemplateButton"]?.required).toEqual(["id", "text"]);
    expect(Object.keys(schema.types["onesignal:index:SegmentFilter"]?.properties ?? {})).toEqual(
      expect.arrayContaining(["field", "relation", "value", "hoursAgo", "radius", "lat", "long", "operator", "key"]),
    );
  });

  it("marks every secret: key material of apps, keys' tokens, app keys given to resources, and provider keys", () => {
    const app = schema.resources["onesignal:index:App"];
    for (const name of SECRET_APP_SETTINGS) {
      expect(app?.inputProperties[name]?.secret, name).toBe(true);
      expect(app?.properties[name]?.secret, name).toBe(true);
    }
    expect(app?.inputProperties.name?.secret).toBeUndefined();
    expect(schema.resources["onesignal:index:ApiKey"]?.properties.token?.secret).toBe(true);
    expect(schema.resources["onesignal:index:Segment"]?.inputProperties.apiKey?.secret).toBe(true);
    expect(schema.resources["onesignal:index:Template"]?.inputProperties.apiKey?.secret).toBe(true);
    expect(Object.keys(schema.config.variables).sort()).toEqual(Object.keys(CONFIG_KEYS).sort());
    expect(schema.config.variables.organizationApiKey?.secret).toBe(true);
    expect(schema.config.variables.appApiKey?.secret).toBe(true);
    expect(schema.config.variables.apiUrl?.secret).toBeUndefined();
  });

  it("describes resources and properties from their TSDoc, and says what an import cannot read", () => {
    const apiKey = schema.resources["onesignal:index:ApiKey"];
    expect(apiKey?.description).toMatch(/^An API key of a OneSignal app/);
    expect(apiKey?.properties.token?.description).toMatch(/imported key has no `token`/);
    expect(apiKey?.required).not.toContain("token");
    expect(schema.resources["onesignal:index:Segment"]?.inputProperties.appId).toMatchObject({
      description: "The app the segment belongs to; a new app id replaces the segment.",
    });
  });
});
