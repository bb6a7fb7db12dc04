import * as pulumi from "@pulumi/pulumi";
import {
  type ApiKeyToken,
  createApiKey,
  deleteApiKey,
  listApiKeys,
  listApiKeysDated,
  rotateApiKey,
  updateApiKey,
} from "../client/api-keys";
import { ifFound } from "../client/errors";
import type { OneSignalHttpClient } from "../client/http";
import { organizationClient } from "../clients";
import { type ApiKeySettings, fromApiKeyToken, type IpAllowlistMode, toApiKeyRequest } from "../models/api-key";
import { type CheckFailure, Failures } from "./check";
import { type Candidate, createOnce, type NameLookup, sameNamed } from "./create-once";
import { registration } from "./declare";
import { type Checked, OneSignalProvider } from "./provider-base";
import { RESOURCES } from "./registry";
import apiKeyShim from "./thin/api-key";
import { changedKeys, jsonSafe, type PropertyChanges, pick, propertyChanges, UNKNOWN } from "./values";

/** The inputs of an {@link ApiKey}, resolved. */
export interface ApiKeyInputs extends ApiKeySettings {
  /** The app the key belongs to; a new app id replaces the key. */
  appId: string;
  /** Any value; changing it rotates the key (a new secret, the old one stops working at once). */
  rotation?: string | number;
}

/** The outputs of an {@link ApiKey}. */
export interface ApiKeyOutputs extends ApiKeyInputs {
  tokenId: string;
  /** The secret, as OneSignal shows it once (`formatted_token`). Always a secret output. */
  token: string;
  createdAt?: string;
}

/** The inputs of an {@link ApiKey} as a program gives them. */
export type ApiKeyArgs = {
  [K in keyof Omit<ApiKeyInputs, "name">]: pulumi.Input<ApiKeyInputs[K]>;
} & {
  /** The key's name in the dashboard; defaults to the resource name. */
  name?: pulumi.Input<string>;
};

const EDITABLE_KEYS = ["name", "ipAllowlistMode", "ipAllowlist"] as const;
const IP_ALLOWLIST_MODES: readonly IpAllowlistMode[] = ["disabled", "explicit"];

/** The dynamic provider of {@link ApiKey}; one instance for every key. */
export class ApiKeyProvider extends OneSignalProvider<ApiKeyInputs, ApiKeyOutputs> {
  protected checked(olds: Partial<ApiKeyInputs>, news: ApiKeyInputs): Checked<ApiKeyInputs> {
    // OneSignal's defaults are made explicit, so a diff against its answer sees no change.
    const inputs: ApiKeyInputs = {
      ...news,
      ipAllowlistMode: news.ipAllowlistMode ?? "disabled",
      ipAllowlist: news.ipAllowlist ?? [],
    };
    return { inputs, failures: checkApiKey(olds, inputs) };
  }

  changes(olds: Partial<ApiKeyOutputs>, news: Partial<ApiKeyInputs>): PropertyChanges {
    return diffApiKey(olds, news);
  }

  async create(inputs: ApiKeyInputs): Promise<pulumi.dynamic.CreateResult<ApiKeyOutputs>> {
    const client = organizationClient(this.stackConfig);
    const request = toApiKeyRequest(pick(inputs, EDITABLE_KEYS));
    const created = await createOnce({
      ...this.lookup(client, inputs),
      create: () => createApiKey(client, inputs.appId, request),
      // Its secret was only in the lost answer: a rotation shows a new one. OneSignal documents only the
      // secret in the rotation's answer; the rest is what the lost create asked for.
      adopt: async (id) => ({
        ip_allowlist_mode: "disabled" as const,
        ip_allowlist: [],
        ...request,
        ...(await rotateApiKey(client, inputs.appId, id)),
        token_id: id,
      }),
      ambiguityAdvice:
        "Delete them in the OneSignal dashboard (Keys & IDs): nobody holds their secrets. Then run the deployment again.",
    });
    const info = fromApiKeyToken(created);
    const outs: ApiKeyOutputs = {
      ...inputs,
      name: info.name || inputs.name,
      ipAllowlistMode: info.ipAllowlistMode,
      ipAllowlist: info.ipAllowlist,
      tokenId: info.tokenId,
      token: created.formatted_token,
    };
    if (info.createdAt) outs.createdAt = info.createdAt;
    return { id: info.tokenId, outs: jsonSafe(outs) };
  }

  /** The app's keys of the declared name, which a create would duplicate. */
  existing(inputs: ApiKeyInputs): Promise<Candidate[]> {
    return sameNamed(this.lookup(organizationClient(this.stackConfig), inputs));
  }

  private lookup(client: OneSignalHttpClient, inputs: ApiKeyInputs): NameLookup<ApiKeyToken> {
    return {
      kind: "API key",
      name: inputs.name ?? "",
      list: () => listApiKeysDated(client, inputs.appId),
      candidate: (token) => ({ id: token.token_id, name: token.name, createdAt: token.created_at }),
      adoptAdvice: () =>
        "delete it in the OneSignal dashboard (Keys & IDs) and deploy again, since its secret was shown only to the request that made it",
    };
  }

  async read(id: string, props?: ApiKeyOutputs): Promise<pulumi.dynamic.ReadResult<ApiKeyOutputs>> {
    if (!props?.appId) return {};
    // OneSignal has no endpoint for one key: list the app's keys.
    const tokens = await ifFound(listApiKeys(organizationClient(this.stackConfig), props.appId));
    const token = tokens?.find((candidate) => candidate.token_id === id);
    if (!token) return {};
    const info = fromApiKeyToken(token);
    const inputs: ApiKeyInputs = {
      appId: props.appId,
      name: info.name,
      ipAllowlistMode: info.ipAllowlistMode,
      ipAllowlist: info.ipAllowlist,
    };
    if (props.rotation !== undefined) inputs.rotation = props.rotation;
    const outputs: ApiKeyOutputs = { ...inputs, tokenId: id, token: props.token };
    if (info.createdAt) outputs.createdAt = info.createdAt;
    // The SDK types `inputs` as Outputs; the engine takes any property bag there.
    return jsonSafe({ id, props: outputs, inputs: inputs as ApiKeyOutputs });
  }

  async update(
    id: string,
    olds: ApiKeyOutputs,
    news: ApiKeyInputs,
  ): Promise<pulumi.dynamic.UpdateResult<ApiKeyOutputs>> {
    const client = organizationClient(this.stackConfig);
    const changed = changedKeys(olds, news, EDITABLE_KEYS);
    if (changed.length > 0) {
      const delta: Partial<ApiKeySettings> = {};
      for (const key of changed) (delta as Record<string, unknown>)[key] = news[key] ?? defaults[key];
      await updateApiKey(client, news.appId, id, toApiKeyRequest(delta));
    }
    let token = olds.token;
    if (changedKeys(olds, news, ["rotation"]).length > 0) {
      token = (await rotateApiKey(client, news.appId, id)).formatted_token;
    }
    const outs: ApiKeyOutputs = {
      ...news,
      ipAllowlistMode: news.ipAllowlistMode ?? "disabled",
      ipAllowlist: news.ipAllowlist ?? [],
      tokenId: id,
      token,
    };
    if (olds.createdAt) outs.createdAt = olds.createdAt;
    return { outs: jsonSafe(outs) };
  }

  async delete(id: string, props: ApiKeyOutputs): Promise<void> {
    // Already gone (the key or its app): the goal of delete is met.
    await ifFound(deleteApiKey(organizationClient(this.stackConfig), props.appId, id));
  }
}

/** What an ApiKey's update changes: a new `appId` replaces it; a new `rotation` rotates its secret. */
export function diffApiKey(olds: Partial<ApiKeyOutputs>, news: Partial<ApiKeyInputs>): PropertyChanges {
  return propertyChanges(olds, news, [...EDITABLE_KEYS, "appId", "rotation"], ["appId"]);
}

/** What an unset editable field goes back to. */
const defaults: Record<(typeof EDITABLE_KEYS)[number], unknown> = {
  name: "",
  ipAllowlistMode: "disabled",
  ipAllowlist: [],
};

/** The check rules of an ApiKey, as pure logic. */
export function checkApiKey(_olds: Partial<ApiKeyInputs>, news: Partial<ApiKeyInputs>): CheckFailure[] {
  const failures = new Failures();
  failures.unknown(news, ["appId", ...EDITABLE_KEYS, "rotation"], "ApiKey");
  failures.text(news);
  failures.string("appId", news.appId, { required: true });
  failures.string("name", news.name, { required: true, max: 128 });
  failures.oneOf("ipAllowlistMode", news.ipAllowlistMode, IP_ALLOWLIST_MODES);
  failures.cidrList("ipAllowlist", news.ipAllowlist);
  if (
    news.ipAllowlistMode === "explicit" &&
    news.ipAllowlist !== (UNKNOWN as unknown) &&
    (!Array.isArray(news.ipAllowlist) || news.ipAllowlist.length === 0)
  ) {
    failures.add("ipAllowlist", 'ipAllowlist must list at least one CIDR block when ipAllowlistMode is "explicit"');
  }
  const rotation = news.rotation;
  if (rotation !== undefined && rotation !== UNKNOWN && typeof rotation !== "string" && typeof rotation !== "number") {
    failures.add("rotation", "rotation must be a string or a number");
  }
  return failures.list;
}

/** The one provider object for every {@link ApiKey}. */
export const apiKeyProvider = new ApiKeyProvider();

type ApiKeyOutputProperties = { readonly [K in keyof ApiKeyOutputs]-?: pulumi.Output<ApiKeyOutputs[K]> };
/** The outputs of a ApiKey, each a typed Output (declared here, set by the provider). */
export interface ApiKey extends ApiKeyOutputProperties {}

/**
 * An API key of a OneSignal app (organization API key required). `token` is the secret, a secret
 * output; change `rotation` to rotate it. A new `appId` replaces the key.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class ApiKey extends pulumi.dynamic.Resource {
  constructor(name: string, args: ApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(apiKeyShim, name, ...registration(RESOURCES.ApiKey, name, args, opts));
  }
}
