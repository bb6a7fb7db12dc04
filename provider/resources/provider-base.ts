/**
 * What every resource's provider shares: the provider configuration it reads in `configure`, and `check` and `diff`
 * answered from its pure rules. A resource's provider extends {@link OneSignalProvider} and adds its REST calls.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type PartialSettings, readStackConfig } from "../config";
import type { CheckFailure } from "./check";
import type { Candidate } from "./create-once";
import { dynamicDiff, type PropertyChanges } from "./values";

/**
 * A resource's implementation as the plugin calls it, with property bags of any resource: every
 * {@link OneSignalProvider} is one.
 */
export interface ResourceImplementation {
  /** The provider configuration (`onesignal:*`) the calls use. */
  stackConfig: PartialSettings;
  check(olds: object, news: object): Promise<{ inputs?: object; failures?: CheckFailure[] }>;
  changes(olds: object, news: object): PropertyChanges;
  create(inputs: object): Promise<{ id: string; outs?: object }>;
  read(id: string, props?: object): Promise<{ id?: string; props?: object; inputs?: object }>;
  update(id: string, olds: object, news: object): Promise<{ outs?: object }>;
  delete(id: string, props: object): Promise<void>;
  /**
   * The objects in OneSignal that a create of these inputs would duplicate (the declared name, in the same app,
   * of the same kind): what an interrupted create may have made, for `pulumi-onesignal recover`.
   */
  existing(inputs: object): Promise<Candidate[]>;
}

/** The inputs a resource's rules settle on (defaults made explicit, canonical forms), and what is wrong with them. */
export interface Checked<Inputs> {
  inputs: Inputs;
  failures: CheckFailure[];
}

/**
 * The dynamic provider of one resource type; one instance serves every resource of the type. It holds only the
 * stack config that `configure` reads in the provider process, never a client or a key at serialization time.
 */
export abstract class OneSignalProvider<Inputs extends object, Outputs extends object>
  implements pulumi.dynamic.ResourceProvider<Inputs, Outputs>, ResourceImplementation
{
  /** The `onesignal:*` provider configuration, as `configure` read it. */
  stackConfig: PartialSettings = {};

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    // Synchronous on purpose: the host runs resource steps in parallel right after this starts.
    this.stackConfig = readStackConfig(req.config);
  }

  async check(olds: Inputs, news: Inputs): Promise<pulumi.dynamic.CheckResult<Inputs>> {
    return this.checked(olds, news);
  }

  async diff(_id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.DiffResult> {
    return dynamicDiff(this.changes(olds, news));
  }

  /** The resource's check rules: the inputs to store and the failures, before any request. */
  protected abstract checked(olds: Partial<Inputs>, news: Inputs): Checked<Inputs>;

  /** What an update from `olds` to `news` changes, and which of those changes replace the resource. */
  abstract changes(olds: Partial<Outputs>, news: Partial<Inputs>): PropertyChanges;

  abstract create(inputs: Inputs): Promise<pulumi.dynamic.CreateResult<Outputs>>;
  abstract read(id: string, props?: Outputs): Promise<pulumi.dynamic.ReadResult<Outputs>>;
  abstract update(id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.UpdateResult<Outputs>>;
  abstract delete(id: string, props: Outputs): Promise<void>;
  abstract existing(inputs: Inputs): Promise<Candidate[]>;
}
