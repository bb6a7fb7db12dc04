import type * as pulumi from "@pulumi/pulumi";
import { programStackConfig } from "../config";
import type { NotificationInput } from "../models/notification";
import { type SendNotificationResult, sendNotification } from "./notifications";
import type { OneSignalOptions } from "./options";

/** Options of {@link notificationHook}. */
export interface NotificationHookOptions {
  /**
   * The app API key: a string, or an Output such as an `ApiKey`'s `token`, resolved when the hook runs
   * (after the resources the hooked one depends on exist).
   */
  apiKey?: pulumi.Input<string>;
  /** The API URL, as for every function. */
  apiUrl?: pulumi.Input<string>;
  /** Log a failed send as a warning instead of failing the deployment (default false). */
  ignoreErrors?: boolean;
  /** Called with what OneSignal answered, e.g. to log the notification id. */
  onSent?: (result: SendNotificationResult, args: pulumi.ResourceHookArgs) => void;
}

/**
 * A resource hook that sends a notification. Bind it after create and update, and the resource's
 * change tells people what happened, once:
 *
 * ```ts
 * const notify = notificationHook("notify-testers", (args) => ({ appId, includedSegments: ["Testers"],
 *   contents: { en: `${args.name} was deployed` } }));
 * new Template("welcome", { ... }, { hooks: { afterCreate: [notify], afterUpdate: [notify] } });
 * ```
 *
 * The notification may be computed from the hook's arguments (name, type, new and old outputs). Hooks
 * do not run in previews. Requires `@pulumi/pulumi` 3.182 or newer and the Pulumi engine to run them.
 */
export function notificationHook(
  name: string,
  notification: NotificationInput | ((args: pulumi.ResourceHookArgs) => NotificationInput | Promise<NotificationInput>),
  opts: NotificationHookOptions = {},
): pulumi.ResourceHook {
  return new (pulumiSdk().ResourceHook)(name, notificationHookCallback(notification, opts), {
    ignoreErrors: opts.ignoreErrors === true,
  });
}

/** The callback of {@link notificationHook}, on its own: sends the (computed) notification. */
export function notificationHookCallback(
  notification: NotificationInput | ((args: pulumi.ResourceHookArgs) => NotificationInput | Promise<NotificationInput>),
  opts: NotificationHookOptions = {},
): pulumi.ResourceHookFunction {
  const { onSent, apiKey, apiUrl } = opts;
  // Read now, while the program runs: an inline (Automation API) program keeps its config in a store
  // that the engine's later hook calls cannot see, so reading it when the hook fires would miss it.
  const program = programStackConfig();
  return async (args) => {
    const message = typeof notification === "function" ? await notification(args) : notification;
    const requestOptions: OneSignalOptions = {};
    const key = (await resolved(apiKey)) || program.appApiKey;
    const url = (await resolved(apiUrl)) || program.apiUrl;
    if (key) requestOptions.apiKey = key;
    if (url) requestOptions.apiUrl = url;
    const result = await sendNotification(message, requestOptions);
    onSent?.(result, args);
  };
}

/** Binds a hook after create and after update: `{ hooks: afterCreateOrUpdate(hook) }`. */
export function afterCreateOrUpdate(hook: pulumi.ResourceHook): pulumi.ResourceHookBinding {
  return { afterCreate: [hook], afterUpdate: [hook] };
}

/** The value of an Input; hooks run after the resources they follow, so their Outputs are known. */
function resolved(value: pulumi.Input<string> | undefined): Promise<string | undefined> {
  if (value === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    pulumiSdk()
      .output(value)
      .apply((plain) => {
        resolve(plain);
        return plain;
      });
  });
}

/** The Pulumi SDK, loaded when a hook is made: scripts that only send notifications never load it. */
function pulumiSdk(): typeof pulumi {
  return require("@pulumi/pulumi");
}
