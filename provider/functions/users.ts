import { OneSignalError } from "../client/errors";
import { createOrUpdateUser, getUserIdentity as fetchIdentity } from "../client/users";
import { fromApiUser, toApiUser, type User, type UserInput, userProblems } from "../models/user";
import { clientFor, type OneSignalOptions, refuseUnknownOptions } from "./options";

/**
 * Creates a user, or updates the one its aliases name (POST /apps/{app_id}/users): aliases, properties
 * (tags merge; an empty value deletes one) and subscriptions (a known token moves to this user).
 */
export async function upsertUser(appId: string, user: UserInput, opts?: OneSignalOptions): Promise<User> {
  const problems = userProblems(user);
  if (problems.length > 0) throw new OneSignalError(`upsertUser: ${problems.join("; ")}.`);
  return fromApiUser(await createOrUpdateUser(clientFor(opts, "app"), appId, toApiUser(user)));
}

/** Which user: an alias label (`external_id`, `onesignal_id`, or one of yours) and its value. */
export interface UserAlias {
  label: string;
  id: string;
}

/**
 * The aliases of a user (GET .../users/by/{alias_label}/{alias_id}/identity), its `onesignal_id` among
 * them; a user OneSignal does not know is a OneSignalNotFoundError.
 */
export async function getUserIdentity(
  appId: string,
  alias: UserAlias,
  opts?: OneSignalOptions,
): Promise<Record<string, string>> {
  for (const name of ["label", "id"] as const) {
    const value: unknown = (alias as Partial<UserAlias> | null | undefined)?.[name];
    if (typeof value !== "string" || value === "") {
      throw new OneSignalError(
        `getUserIdentity: alias.${name} must be non-empty text (e.g. { label: "external_id", id: "u-1" })`,
      );
    }
  }
  refuseUnknownOptions("alias", alias, ["label", "id"]);
  return fetchIdentity(clientFor(opts, "app"), appId, alias.label, alias.id);
}
