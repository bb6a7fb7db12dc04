import { OneSignalError } from "../client/errors";
import { createOrUpdateUser } from "../client/users";
import { fromApiUser, toApiUser, type User, type UserInput, userProblems } from "../models/user";
import { clientFor, type OneSignalOptions } from "./options";

/**
 * Creates a user, or updates the one its aliases name (POST /apps/{app_id}/users): aliases, properties
 * (tags merge; an empty value deletes one) and subscriptions (a known token moves to this user).
 */
export async function upsertUser(appId: string, user: UserInput, opts?: OneSignalOptions): Promise<User> {
  const problems = userProblems(user);
  if (problems.length > 0) throw new OneSignalError(`upsertUser: ${problems.join("; ")}.`);
  return fromApiUser(await createOrUpdateUser(clientFor(opts, "app"), appId, toApiUser(user)));
}
