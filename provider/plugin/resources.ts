/**
 * The resources the provider plugin serves, by type token: the registry's rows, with the same implementations as
 * the dynamic resources (their check rules, REST calls and exactly-once creates), reached a second way.
 */
import type { ResourceRow } from "../resources/registry";

/** The type token and the resource name of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const qualified = parts[2] ?? "";
  return { type: qualified.split("$").pop() ?? "", name: parts.slice(3).join("::") };
}

/**
 * The id and known properties of a resource to import: `<appId>/<id>` for resources inside an app,
 * the id alone for an app. Returns a reason when the id has the wrong form.
 */
export function importTarget(
  resource: ResourceRow,
  id: string,
): { id: string; props: Record<string, unknown> } | string {
  if (!resource.inApp) return { id, props: {} };
  const slash = id.indexOf("/");
  const appId = id.slice(0, slash);
  const ownId = id.slice(slash + 1);
  if (slash < 1 || ownId === "" || ownId.includes("/")) {
    return `import a ${resource.name} by "<appId>/<${lowerFirst(resource.name)}Id>", not "${id}": it belongs to an app`;
  }
  return { id: ownId, props: { appId } };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
