/**
 * How a resource class registers itself, from its registry row: the same for every type, so a secret output is
 * never left out of one class by a slip.
 */
import * as pulumi from "@pulumi/pulumi";
import { PACKAGE_NAME, type ResourceRow } from "./registry";

/**
 * The arguments of `pulumi.dynamic.Resource`'s constructor after the provider and the name: the properties (the
 * row's declared outputs, then the program's inputs, secret outputs given as inputs marked secret, name defaults
 * filled), the options (the row's secret outputs added), and the type's module and name.
 */
export function registration(
  row: ResourceRow,
  name: string,
  args: object,
  opts: pulumi.CustomResourceOptions | undefined,
): [Record<string, unknown>, pulumi.CustomResourceOptions, string, string] {
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
