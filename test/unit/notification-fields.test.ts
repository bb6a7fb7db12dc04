import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { NOTIFICATION_FIELDS } from "../../provider/models/notification/fields";
import { ROOT } from "../support/processes";

interface Schema {
  $ref?: string;
  properties?: Record<string, unknown>;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

/** Every property of a schema of OneSignal's OpenAPI description, its `allOf`/`oneOf`/`anyOf` parts included. */
function propertiesOf(schemas: Record<string, Schema>, schema: Schema): string[] {
  if (schema.$ref) return propertiesOf(schemas, schemas[schema.$ref.split("/").pop() as string] ?? {});
  const parts = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
  return [...Object.keys(schema.properties ?? {}), ...parts.flatMap((part) => propertiesOf(schemas, part))];
}

/** What OneSignal's description holds that sending leaves out, and why. */
const LEFT_OUT: Record<string, string> = {
  id: "the answer's, not the request's",
  value: "the answer's",
  aggregation: "the answer's",
  isChrome: "the Chrome app, which Chrome dropped",
  external_id: "deprecated: an idempotency key of old, idempotencyKey replaces it",
  include_email_tokens: "deprecated: emailTo",
  include_ios_tokens: "deprecated token targeting",
  include_wp_wns_uris: "deprecated token targeting",
  include_amazon_reg_ids: "deprecated token targeting",
  include_chrome_reg_ids: "deprecated token targeting",
  include_chrome_web_reg_ids: "deprecated token targeting",
  include_android_reg_ids: "deprecated token targeting",
  adm_sound: "deprecated by OneSignal",
  android_led_color: "deprecated by OneSignal",
  huawei_led_color: "deprecated by OneSignal",
  android_visibility: "deprecated by OneSignal",
  huawei_visibility: "deprecated by OneSignal",
};

describe("the fields of a notification", () => {
  const fieldsOf = (file: string) => {
    const spec = parse(readFileSync(path.join(ROOT, "test/fixtures/openapi", file), "utf8")) as {
      components: { schemas: Record<string, Schema> };
    };
    return new Set(propertiesOf(spec.components.schemas, { $ref: "#/components/schemas/Notification" }));
  };
  const documented = fieldsOf("onesignal-current.yaml");
  // The player model's targets (include_player_ids, include_external_user_ids) are in the legacy description only.
  const legacy = fieldsOf("onesignal-legacy.yaml");
  const mapped = new Set(Object.values(NOTIFICATION_FIELDS));

  it("each maps to a field of OneSignal's create-notification body (current, or legacy for the player model)", () => {
    expect([...mapped].filter((wire) => !documented.has(wire) && !legacy.has(wire))).toEqual([]);
  });

  it("every field of that body is mapped, or left out for a reason", () => {
    expect([...documented].filter((wire) => !mapped.has(wire) && !(wire in LEFT_OUT))).toEqual([]);
  });
});
