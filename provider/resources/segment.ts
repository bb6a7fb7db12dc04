import { randomUUID } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { ifFound, OneSignalApiError, outcomeUnknown } from "../client/errors";
import type { OneSignalHttpClient } from "../client/http";
import { createSegment, deleteSegment, getSegment, listAllSegments, updateSegment } from "../client/segments";
import { appClient, withAppKey } from "../clients";
import { filterProblems, fromApiFilters, normalizeFilters, type SegmentFilter, toApiFilters } from "../models/segment";
import { type CheckFailure, Failures } from "./check";
import { alreadyExists, type Candidate, unknownOutcome } from "./create-once";
import { declareUnregisteredInputs, registration } from "./declare";
import { type Checked, OneSignalProvider } from "./provider-base";
import { RESOURCES } from "./registry";
import segmentShim from "./thin/segment";
import { changedKeys, containsUnknown, jsonSafe, type PropertyChanges, propertyChanges, UNKNOWN } from "./values";

/** The inputs of a {@link Segment}, resolved. */
export interface SegmentInputs {
  /** The app the segment belongs to; a new app id replaces the segment. */
  appId: string;
  /** Unique in the app; at most 128 characters. */
  name: string;
  /** At most 255 characters. */
  description?: string;
  /** Who is in the segment: 1 to 200 entries, conditions and `AND`/`OR` operators. */
  filters: SegmentFilter[];
  /** The app's API key; overrides `onesignal:appApiKey`. Kept secret. */
  apiKey?: string;
  /**
   * Adopt this existing segment instead of creating one: how dynamic resources adopt, since `pulumi import` cannot
   * read them (the plugin's resources also take `pulumi import` and the `import` option).
   */
  adoptExistingId?: string;
}

/** The outputs of a {@link Segment}: its inputs, as OneSignal holds them. */
export type SegmentOutputs = SegmentInputs;

/** The inputs of a {@link Segment} as a program gives them. */
export type SegmentArgs = { [K in keyof SegmentInputs]: pulumi.Input<SegmentInputs[K]> };

const CONTENT_KEYS = ["name", "description", "filters"] as const;

/** The dynamic provider of {@link Segment}; one instance for every segment. */
export class SegmentProvider extends OneSignalProvider<SegmentInputs, SegmentOutputs> {
  protected checked(olds: Partial<SegmentInputs>, news: SegmentInputs): Checked<SegmentInputs> {
    const failures = checkSegment(olds, news);
    // Canonical filters, so a number declared as 5 compares equal to the "5" OneSignal returns.
    const inputs =
      failures.length === 0 && Array.isArray(news.filters) && !containsUnknown(news.filters)
        ? { ...news, filters: normalizeFilters(news.filters) }
        : news;
    return { inputs, failures };
  }

  changes(olds: Partial<SegmentOutputs>, news: Partial<SegmentInputs>): PropertyChanges {
    return diffSegment(olds, news);
  }

  async create(inputs: SegmentInputs): Promise<pulumi.dynamic.CreateResult<SegmentOutputs>> {
    const client = appClient(this.stackConfig, inputs.apiKey);
    const filters = toApiFilters(inputs.filters);
    if (inputs.adoptExistingId) {
      await getSegment(client, inputs.appId, inputs.adoptExistingId);
      await updateSegment(client, inputs.appId, inputs.adoptExistingId, {
        name: inputs.name,
        description: inputs.description ?? "",
        filters,
      });
      return { id: inputs.adoptExistingId, outs: jsonSafe(inputs) };
    }
    // The id is chosen here, so a create whose answer was lost can be found instead of sent twice. OneSignal
    // refuses a second segment of a name (409): no look-up is needed before the create, only after that refusal.
    const id = randomUUID();
    const body = { id, name: inputs.name, filters, ...(inputs.description ? { description: inputs.description } : {}) };
    const how = {
      kind: "segment",
      name: inputs.name,
      adoptAdvice: (existing: string) => `set adoptExistingId: "${existing}" on this Segment`,
    };
    try {
      await createSegment(client, inputs.appId, body);
    } catch (error) {
      if (error instanceof OneSignalApiError && error.status === 409) {
        // A killed or timed-out deployment of this stack may have made it: a candidate to adopt, named.
        const named = await this.named(client, inputs);
        // The id was ours: an earlier attempt of this very request was carried out.
        if (named.some((found) => found.id === id)) return { id, outs: jsonSafe(inputs) };
        if (named.length > 0) throw alreadyExists(how, named);
        throw error;
      }
      if (!outcomeUnknown(error)) throw error;
      const cause = error instanceof Error ? error.message : String(error);
      const found = await getSegment(client, inputs.appId, id).then(
        () => true,
        (lookup: unknown) => lookup,
      );
      if (found !== true) {
        const detail =
          found instanceof OneSignalApiError && found.status === 404
            ? `${cause}; OneSignal shows no segment with the id it was given (${id}) yet`
            : `${cause}; looking for what it made failed too: ${found instanceof Error ? found.message : String(found)}`;
        throw unknownOutcome(how, detail, error);
      }
    }
    return { id, outs: jsonSafe(inputs) };
  }

  /** The app's segments of the declared name: OneSignal refuses a second one. */
  existing(inputs: SegmentInputs): Promise<Candidate[]> {
    return this.named(appClient(this.stackConfig, inputs.apiKey), inputs);
  }

  private async named(client: OneSignalHttpClient, inputs: SegmentInputs): Promise<Candidate[]> {
    return (await listAllSegments(client, inputs.appId))
      .filter((found) => found.name === inputs.name)
      .map((found) => ({ id: found.id, name: found.name, createdAt: found.created_at }));
  }

  async read(id: string, props?: SegmentOutputs): Promise<pulumi.dynamic.ReadResult<SegmentOutputs>> {
    if (!props?.appId) return {};
    const detail = await withAppKey(this.stackConfig, props.apiKey, `segment ${id}`, (client) =>
      ifFound(getSegment(client, props.appId, id)),
    );
    if (!detail) return {};
    const payload = detail.payload;
    const inputs: SegmentInputs = {
      appId: props.appId,
      name: payload?.name ?? props.name,
      filters: payload?.filters ? fromApiFilters(payload.filters) : props.filters,
    };
    if (payload?.description) inputs.description = payload.description;
    if (props.adoptExistingId) inputs.adoptExistingId = props.adoptExistingId;
    const outputs: SegmentOutputs = { ...inputs };
    if (props.apiKey) outputs.apiKey = props.apiKey;
    // The key stays in the (secret) outputs, not in the inputs the engine stores after a refresh.
    return jsonSafe({ id, props: outputs, inputs });
  }

  async update(
    id: string,
    olds: SegmentOutputs,
    news: SegmentInputs,
  ): Promise<pulumi.dynamic.UpdateResult<SegmentOutputs>> {
    const changed = changedKeys(olds, news, CONTENT_KEYS);
    // A new apiKey alone (a rotated key) is only remembered: nothing changes in OneSignal.
    if (changed.length > 0) {
      await withAppKey(this.stackConfig, news.apiKey, `segment ${id}`, (client) =>
        updateSegment(client, news.appId, id, {
          name: news.name,
          ...(changed.includes("description") ? { description: news.description ?? "" } : {}),
          ...(changed.includes("filters") ? { filters: toApiFilters(news.filters) } : {}),
        }),
      );
    }
    return { outs: jsonSafe(news) };
  }

  async delete(id: string, props: SegmentOutputs): Promise<void> {
    // An already-deleted segment is what delete wants.
    await withAppKey(this.stackConfig, props.apiKey, `segment ${id}`, (client) =>
      ifFound(deleteSegment(client, props.appId, id)),
    );
  }
}

/** What a Segment's update changes: a new `appId` replaces it; a new `apiKey` is only remembered. */
export function diffSegment(olds: Partial<SegmentOutputs>, news: Partial<SegmentInputs>): PropertyChanges {
  return propertyChanges(olds, news, [...CONTENT_KEYS, "appId", "apiKey"], ["appId"]);
}

/** The check rules of a Segment, as pure logic. */
export function checkSegment(_olds: Partial<SegmentInputs>, news: Partial<SegmentInputs>): CheckFailure[] {
  const failures = new Failures();
  failures.unknown(news, ["appId", ...CONTENT_KEYS, "apiKey", "adoptExistingId"], "Segment");
  failures.text(news);
  failures.string("appId", news.appId, { required: true });
  failures.string("name", news.name, { required: true, max: 128 });
  failures.string("description", news.description, { max: 255 });
  failures.string("apiKey", news.apiKey);
  failures.string("adoptExistingId", news.adoptExistingId);
  if (news.filters === undefined) failures.add("filters", "filters is required: at least one filter");
  else
    for (const problem of filterProblems(news.filters, (value) => value === UNKNOWN))
      failures.add(problem.property, problem.reason);
  return failures.list;
}

/** The one provider object for every {@link Segment}. */
export const segmentProvider = new SegmentProvider();

type SegmentOutputProperties = { readonly [K in keyof SegmentOutputs]-?: pulumi.Output<SegmentOutputs[K]> };
/** The outputs of a Segment, each a typed Output (declared here, set by the provider). */
export interface Segment extends SegmentOutputProperties {}

/**
 * A segment of an app's audience. Name, description and filters update in place (one PATCH); a new
 * `appId` replaces it. Takes the app's API key from `apiKey` or `onesignal:appApiKey`.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface only declares the outputs the provider sets.
export class Segment extends pulumi.dynamic.Resource {
  constructor(name: string, args: SegmentArgs, opts?: pulumi.CustomResourceOptions) {
    super(segmentShim, name, ...registration(RESOURCES.Segment, name, args, opts));
  }
}
declareUnregisteredInputs(Segment, RESOURCES.Segment);
