/**
 * How a resource class registers itself, from its registry row: the same for every type, so a secret output is
 * never left out of one class by a slip.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS, plainSecretMessage, SECRET_SETTINGS } from "../config";
import { isSecretStackConfig } from "./pulumi-config-internals";
import { PACKAGE_NAME, type ResourceRow } from "./registry";

/**
 * The arguments of `pulumi.dynamic.Resource`'s constructor after the provider and the name: the properties (the
 * row's declared outputs, then the program's inputs, secret outputs given as inputs marked secret, name defaults
 * filled), the options (the row's secret outputs added), and the type's module and name.
 *
 * Throws first, before anything is registered, where the stack config gives a secret setting in plain (see
 * {@link refusePlainSecretConfig}).
 */
export function registration(
  row: ResourceRow,
  name: string,
  args: object,
  opts: pulumi.CustomResourceOptions | undefined,
): [Record<string, unknown>, pulumi.CustomResourceOptions, string, string] {
  refusePlainSecretConfig();
  const props: Record<string, unknown> = {};
  for (const key of row.declaredOutputs) props[key] = undefined;
  for (const [key, value] of Object.entries(args)) {
    props[key] = value !== undefined && row.secretOutputs.includes(key) ? pulumi.secret(value) : value;
  }
  for (const key of row.nameDefaults) props[key] ??= name;
  const options = pulumi.mergeOptions(opts, { additionalSecretOutputs: [...row.secretOutputs] });
  return [props, options, PACKAGE_NAME, row.name];
}

/**
 * Throws a `RunError` (the program stops with the message alone) naming the first secret setting (the organization
 * key, the app key) that the program's stack config gives as a plain value. The engine hands the whole stack config
 * to the dynamic-provider host as its provider's inputs, which the state keeps: a plain value would be written in
 * clear into the stack's state, its backups and its history at the first registration. Refusing here, before the
 * resource registers, means no provider is configured and no request is made.
 */
export function refusePlainSecretConfig(): void {
  for (const which of SECRET_SETTINGS) {
    const key = CONFIG_KEYS[which];
    const value = pulumi.runtime.getConfig(key);
    if (value !== undefined && value !== "" && !isSecretStackConfig(key)) {
      throw new pulumi.RunError(plainSecretMessage(which));
    }
  }
}

/**
 * Gives every instance of a resource class an Output, undefined, for each of the row's unregistered inputs that
 * the program left out, made when first read. Those outputs are their inputs, so the value is undefined in any
 * case; registered with the engine, each would cost Pulumi four promises with a stack trace each per resource (a
 * Template has 17 content properties), and an Output made up front for each costs promises too. What the program
 * gives is registered as usual: Pulumi's assignment lands on the instance through the setter.
 */
export function declareUnregisteredInputs(resourceClass: { prototype: object }, row: ResourceRow): void {
  for (const key of row.unregisteredInputs) {
    const own = (target: object, value: unknown) =>
      Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(resourceClass.prototype, key, {
      configurable: true,
      get(this: object) {
        const output = pulumi.output(undefined);
        own(this, output);
        return output;
      },
      set(this: object, value: unknown) {
        own(this, value);
      },
    });
  }
}
