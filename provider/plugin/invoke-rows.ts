/**
 * The provider plugin's functions (invokes): one row per function, and the types of its arguments and result,
 * which the schema generator reads (`<Name>Args`, `<Name>Result`, their TSDoc the descriptions). Data and types
 * only: the implementations, the package's own look-up functions, are in `invokes.ts`.
 */
import type { KeyKind } from "../clients";
import type { SegmentSummary } from "../functions/segments";
import type { AppView } from "../models/app";
import type { Device } from "../models/device";
import type { Notification } from "../models/notification";
import type { Template } from "../models/template";
import { PACKAGE_NAME } from "../resources/registry";

/** What every function takes besides its own arguments: the key for the call. */
export interface KeyArgs {
  /**
   * The API key for this call (the organization key, or the app's own for what is inside an app); defaults to the
   * provider's `organizationApiKey` or `appApiKey`. Pass it as a secret.
   */
  apiKey?: string;
}

/** One app of the organization. */
export interface GetAppArgs extends KeyArgs {
  /** The app's id. */
  appId: string;
}

/** An app with its readable settings and subscriber counts; key material is never returned. */
export interface GetAppResult extends AppView {}

/** Every app of the organization (organization API key). */
export interface ListAppsArgs extends KeyArgs {}

/** The organization's apps. */
export interface ListAppsResult {
  /** Every app of the organization, without key material. */
  apps: AppView[];
}

/** An app's segments. */
export interface GetSegmentsArgs extends KeyArgs {
  /** The app's id. */
  appId: string;
}

/** An app's segments, oldest first. */
export interface GetSegmentsResult {
  /** Every segment of the app, as the list shows it. */
  segments: SegmentSummary[];
}

/** One template of an app. */
export interface GetTemplateArgs extends KeyArgs {
  /** The app's id. */
  appId: string;
  /** The template's id (a UUID). */
  templateId: string;
}

/** A template with its channel and the content that channel uses. */
export interface GetTemplateResult extends Template {}

/** An app's templates. */
export interface ListTemplatesArgs extends KeyArgs {
  /** The app's id. */
  appId: string;
}

/** An app's templates. */
export interface ListTemplatesResult {
  /** Every template of the app. */
  templates: Template[];
}

/** One notification of an app. */
export interface GetNotificationArgs extends KeyArgs {
  /** The app's id. */
  appId: string;
  /** The notification's id (a UUID). */
  notificationId: string;
}

/** A notification with its counters, its state and its times (ISO 8601). */
export interface GetNotificationResult extends Notification {}

/** An app's latest notifications. */
export interface ListNotificationsArgs extends KeyArgs {
  /** The app's id. */
  appId: string;
  /** Only notifications of this kind: 0 dashboard, 1 API, 3 automated. */
  kind?: number;
  /** Only the notifications made from this template (its id). */
  templateId?: string;
  /** At most this many, newest first (1 to 1000, default 50). */
  limit?: number;
}

/** An app's latest notifications. */
export interface ListNotificationsResult {
  /** The notifications, newest first. */
  notifications: Notification[];
}

/** One device (player) of an app. */
export interface GetDeviceArgs extends KeyArgs {
  /** The app's id. */
  appId: string;
  /** The device's id (a UUID). */
  deviceId: string;
}

/** A device with its identifier, tags and times (ISO 8601). */
export interface GetDeviceResult extends Device {}

/** One function of the plugin: its name and which key it takes by default. */
export interface InvokeRow {
  /** The function's name (`getApp`): its token is `onesignal:index/getApp:getApp`, its types `GetAppArgs`/`GetAppResult`. */
  readonly name: string;
  /** Which configured key the call takes when `apiKey` is not given. */
  readonly keyKind: KeyKind;
  /** What it does, for the schema and so every SDK. */
  readonly description: string;
}

/** The plugin's functions, in the order of the schema. */
export const INVOKE_ROWS: readonly InvokeRow[] = [
  { name: "getApp", keyKind: "either", description: "Looks up one app of the organization by id." },
  { name: "listApps", keyKind: "organization", description: "Lists every app of the organization." },
  { name: "getSegments", keyKind: "app", description: "Lists an app's segments." },
  { name: "getTemplate", keyKind: "app", description: "Looks up one template of an app by id." },
  { name: "listTemplates", keyKind: "app", description: "Lists an app's templates." },
  { name: "getNotification", keyKind: "app", description: "Looks up one notification of an app by id." },
  { name: "listNotifications", keyKind: "app", description: "Lists an app's latest notifications, newest first." },
  { name: "getDevice", keyKind: "app", description: "Looks up one device (player) of an app by id." },
];

/** A function's token: `onesignal:index/getApp:getApp`. */
export function invokeToken(row: InvokeRow): string {
  return `${PACKAGE_NAME}:index/${row.name}:${row.name}`;
}

/** The name of a function's argument and result types: `GetApp` for `getApp`. */
export function invokeTypeName(row: InvokeRow): string {
  return row.name.charAt(0).toUpperCase() + row.name.slice(1);
}
