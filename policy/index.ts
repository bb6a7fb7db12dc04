/**
 * The OneSignal policy pack: guardrails for stacks that manage OneSignal, each with a default enforcement level that
 * a stack's policy configuration can change (`pulumi preview --policy-pack <dir> --policy-pack-config <file>`). It
 * knows the dynamic resources' type tokens and the provider plugin's, so TypeScript and YAML programs (and the SDKs)
 * are held to the same rules. The rules themselves are in `rules.ts`.
 */
import { PolicyPack, type ReportViolation, type ResourceValidationArgs } from "@pulumi/policy";
import {
  appCountProblems,
  DEFAULT_PRODUCTION_STACKS,
  type OneSignalType,
  oneSignalType,
  productionKeyProblems,
  segmentNameProblems,
  stackOfUrn,
  templateEnglishProblems,
} from "./rules";

/** Runs `check` on the resources of type `type`, reporting each problem it returns. */
function onType(
  type: OneSignalType,
  check: (args: ResourceValidationArgs) => string[],
): (args: ResourceValidationArgs, reportViolation: ReportViolation) => void {
  return (args, reportViolation) => {
    if (oneSignalType(args.type) !== type) return;
    for (const problem of check(args)) reportViolation(problem);
  };
}

/** The pack, named `onesignal`. */
export const onesignalPolicies = new PolicyPack("onesignal", {
  policies: [
    {
      name: "onesignal-production-api-key-allowlist",
      description: "API keys of production stacks only work from an explicit IP allowlist.",
      enforcementLevel: "mandatory",
      configSchema: {
        properties: {
          productionStacks: {
            type: "string",
            default: DEFAULT_PRODUCTION_STACKS,
            description: "A glob of the stack names that are production (`*` any text, `?` one character).",
          },
        },
      },
      validateResource: onType("ApiKey", (args) =>
        productionKeyProblems(
          stackOfUrn(args.urn),
          args.props,
          args.getConfig<{ productionStacks?: string }>().productionStacks ?? DEFAULT_PRODUCTION_STACKS,
        ),
      ),
    },
    {
      name: "onesignal-template-english-content",
      description: "Every template has English content for the channel it uses.",
      enforcementLevel: "mandatory",
      validateResource: onType("Template", (args) => templateEnglishProblems(args.props)),
    },
    {
      name: "onesignal-segment-not-built-in",
      description: "No segment's name shadows one of OneSignal's built-in segments.",
      enforcementLevel: "mandatory",
      validateResource: onType("Segment", (args) => segmentNameProblems(args.props)),
    },
    {
      name: "onesignal-apps-per-stack",
      description: "A stack declares at most one OneSignal app (OneSignal cannot delete an app).",
      enforcementLevel: "advisory",
      configSchema: {
        properties: {
          maxApps: { type: "integer", minimum: 1, default: 1, description: "The most apps a stack declares." },
        },
      },
      validateStack: (args, reportViolation) => {
        const apps = args.resources.filter((resource) => oneSignalType(resource.type) === "App");
        const stack = stackOfUrn(apps[0]?.urn ?? "");
        const max = args.getConfig<{ maxApps?: number }>().maxApps ?? 1;
        const named = apps.map((app) => ({ name: String(app.props.name ?? app.name) }));
        for (const problem of appCountProblems(stack, named, max)) reportViolation(problem);
      },
    },
  ],
});
