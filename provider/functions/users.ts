import { createOrUpdateUser } from "../client/users";
import { fromApiUser, toApiUser, type User, type UserInput } from "../models/user";
import { clientFor, type OneSignalOptions } from "./options";

/**
 * Creates a user, or updates the one its aliases name (POST /apps/{app_id}/users): aliases, properties
 * (tags merge; an empty value deletes one) and subscriptions (a known token moves to this user).
 */
export async function upsertUser(appId: string, user: UserInput, opts?: OneSignalOptions): Promise<User> {
  return fromApiUser(await createOrUpdateUser(clientFor(opts, "app"), appId, toApiUser(user)));
}
