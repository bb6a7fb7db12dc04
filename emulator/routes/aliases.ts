import { EmulatorError, requireObject } from "../errors";
import type { RequestContext, Route, RouteResult } from "../router";
import type { Store, UserRecord } from "../store";
import {
  enforceSubscriptionLimit,
  requireSubscription,
  requireUser,
  subscriptionsOf,
  userError,
  usersApiRoutes,
} from "./users";

// A user's aliases and a subscription's owner, after the reference pages Create alias, Create alias (by
// subscription), Delete alias, View user identity (by subscription) and Transfer subscription, and the create_alias,
// delete_alias, get_aliases_by_subscription, create_alias_by_subscription and transfer_subscription operations of
// onesignal-current.yaml. Every answer is the user's identity, `{"identity":{...}}`, its OneSignal id among them.

/** Routes for a user's aliases, by alias and by subscription, and for moving a subscription to another user. */
export const aliasRoutes: Route[] = usersApiRoutes([
  { method: "PATCH", pattern: "/apps/:app_id/users/by/:alias_label/:alias_id/identity", handler: createAlias },
  {
    method: "DELETE",
    pattern: "/apps/:app_id/users/by/:alias_label/:alias_id/identity/:alias_label_to_delete",
    handler: deleteAlias,
  },
  { method: "GET", pattern: "/apps/:app_id/subscriptions/:subscription_id/user/identity", handler: identityOfOwner },
  { method: "PATCH", pattern: "/apps/:app_id/subscriptions/:subscription_id/user/identity", handler: aliasOwner },
  { method: "PATCH", pattern: "/apps/:app_id/subscriptions/:subscription_id/owner", handler: transferSubscription },
]);

function identityOf(user: UserRecord): RouteResult {
  return { body: { identity: { ...user.aliases, onesignal_id: user.id } } };
}

/** The aliases of a request's `identity`: at least one, each a non-empty string; `onesignal_id` is read-only. */
function identityAliases(body: unknown): Record<string, string> {
  const identity = requireObject(body).identity;
  if (
    typeof identity !== "object" ||
    identity === null ||
    Array.isArray(identity) ||
    Object.keys(identity).length === 0
  )
    throw userError(400, "identity is required: at least one alias, such as external_id");
  for (const [label, id] of Object.entries(identity)) {
    if (typeof id !== "string" || id === "") throw userError(400, `alias ${label} must be a non-empty string`);
  }
  return identity as Record<string, string>;
}

/**
 * Adds or replaces aliases of a user (an upsert, label by label): a 409 when one is another user's, checked
 * before any change. The external id is also each subscription's, as the legacy API shows it.
 */
function upsertAliases(store: Store, user: UserRecord, aliases: Record<string, string>): RouteResult {
  if ("onesignal_id" in aliases) throw userError(400, "onesignal_id is read-only: it cannot be set");
  const claimed = Object.entries(aliases).filter(([label, id]) => {
    const owner = store.findUserByAlias(user.appId, label, id);
    return owner !== undefined && owner.id !== user.id;
  });
  // The 409 of Create user (the docs' OpenAPI), with the aliases another user holds.
  if (claimed.length > 0) {
    throw new EmulatorError(409, {
      errors: [
        { code: "Conflict", title: "Conflicting aliases", meta: { conflicting_aliases: Object.fromEntries(claimed) } },
      ],
    });
  }
  store.putUser({ ...user, aliases: { ...user.aliases, ...aliases } });
  const updated = store.users.get(user.id) as UserRecord;
  syncExternalId(store, updated);
  return identityOf(updated);
}

/** Each subscription of the user carries its external id (the legacy `/players` view and targeting read it). */
function syncExternalId(store: Store, user: UserRecord): void {
  for (const device of subscriptionsOf(store, user)) {
    device.externalUserId = user.aliases.external_id ?? null;
    store.putDevice(device);
  }
}

function userOfPath({ store, params }: RequestContext): UserRecord {
  return requireUser(store, params.app_id as string, params.alias_label as string, params.alias_id as string);
}

/** The user that owns a subscription, or the Users API's 404. */
function ownerOf({ store, params }: RequestContext): UserRecord {
  const device = requireSubscription(store, params.app_id as string, params.subscription_id as string);
  const user = device.userId ? store.users.get(device.userId) : undefined;
  if (!user) throw userError(404, "User not found", "user-2");
  return user;
}

/** PATCH .../users/by/{alias_label}/{alias_id}/identity (Create alias). */
function createAlias(context: RequestContext): RouteResult {
  const user = userOfPath(context);
  return upsertAliases(context.store, user, identityAliases(context.body));
}

/** DELETE .../identity/{alias_label_to_delete} (Delete alias): the OneSignal id is never deleted. */
function deleteAlias(context: RequestContext): RouteResult {
  const user = userOfPath(context);
  const label = context.params.alias_label_to_delete as string;
  if (label === "onesignal_id") throw userError(400, "onesignal_id is read-only: it cannot be deleted");
  // ((emulator: D40 the code and title of this 404 are the emulator's))
  if (user.aliases[label] === undefined) throw userError(404, `The user has no alias ${label}`, "alias-0");
  const { [label]: _removed, ...aliases } = user.aliases;
  context.store.putUser({ ...user, aliases });
  const updated = context.store.users.get(user.id) as UserRecord;
  syncExternalId(context.store, updated);
  return identityOf(updated);
}

/** GET /apps/{app_id}/subscriptions/{subscription_id}/user/identity. */
function identityOfOwner(context: RequestContext): RouteResult {
  return identityOf(ownerOf(context));
}

/** PATCH /apps/{app_id}/subscriptions/{subscription_id}/user/identity (Create alias by subscription). */
function aliasOwner(context: RequestContext): RouteResult {
  const user = ownerOf(context);
  return upsertAliases(context.store, user, identityAliases(context.body));
}

/**
 * PATCH /apps/{app_id}/subscriptions/{subscription_id}/owner (Transfer subscription): the subscription moves to the
 * user one alias of `identity` names, and answers that user's identity.
 */
function transferSubscription(context: RequestContext): RouteResult {
  const { store, params } = context;
  const device = requireSubscription(store, params.app_id as string, params.subscription_id as string);
  const aliases = Object.entries(identityAliases(context.body));
  const [label, id] = aliases[0] as [string, string];
  if (aliases.length > 1) throw userError(400, "identity names the new owner by one alias");
  const user = requireUser(store, device.appId, label, id);
  device.userId = user.id;
  device.externalUserId = user.aliases.external_id ?? null;
  store.putDevice(device);
  enforceSubscriptionLimit(store, user);
  return identityOf(user);
}
