/**
 * pulumi-onesignal: OneSignal as code. Dynamic resources for apps, API keys, segments and templates, functions for
 * programs, hooks and scripts, and the error classes they throw.
 * @packageDocumentation
 */
import type * as ApiKeyModule from "./resources/api-key";
import type * as AppModule from "./resources/app";
import { RESOURCES, type ResourceRow } from "./resources/registry";
import type * as SegmentModule from "./resources/segment";
import type * as TemplateModule from "./resources/template";

export {
  OneSignalApiError,
  OneSignalAuthError,
  OneSignalConnectionError,
  OneSignalError,
  OneSignalMissingKeyError,
  OneSignalNotFoundError,
  OneSignalOutcomeUnknownError,
  OneSignalRateLimitError,
} from "./client/errors";
export type { RetryPolicy } from "./client/retry";
export { CONFIG_KEYS, DEFAULT_API_URL, ENV_VARS } from "./config";
export {
  type FoundApp,
  type ImportEntry,
  type ImportFile,
  type ImportFileOptions,
  importFileOf,
  type SkippedObject,
} from "./functions/adoption";
export { getApp, listApps } from "./functions/apps";
export {
  addDevice,
  type DeviceUpsert,
  editDevice,
  getDevice,
  type UpsertDevicesOptions,
  type UpsertDevicesResult,
  upsertDevice,
  upsertDevices,
} from "./functions/devices";
export { type ExportDevicesOptions, type ExportRow, exportDevicesCsv } from "./functions/exports";
export type { WaitOptions } from "./functions/files";
export {
  afterCreateOrUpdate,
  type NotificationHookOptions,
  notificationHook,
  notificationHookCallback,
} from "./functions/hooks";
export {
  cancelNotification,
  exportNotificationEvents,
  getNotification,
  getNotificationHistory,
  type ListNotificationsQuery,
  listNotifications,
  type NotificationEventsRequest,
  type NotificationHistoryRequest,
  type SendNotificationResult,
  sendNotification,
} from "./functions/notifications";
export type { OneSignalOptions } from "./functions/options";
export { getSegment, listSegments, type SegmentDetails, type SegmentSummary } from "./functions/segments";
export { getTemplate, listTemplates } from "./functions/templates";
export { getUserIdentity, type UserAlias, upsertUser } from "./functions/users";
export type { ApiKeyInfo, ApiKeySettings, IpAllowlistMode } from "./models/api-key";
export type { App as AppInfo, AppSettings } from "./models/app";
export {
  DEVICE_TYPES,
  type Device,
  type DeviceFields,
  type DeviceInput,
  type DeviceTypeName,
  type TimeInput,
} from "./models/device";
export { filter } from "./models/filter-builder";
export type {
  EmailNotification,
  Notification,
  NotificationButton,
  NotificationChannel,
  NotificationInput,
  PushNotification,
  SmsNotification,
  WebButton,
} from "./models/notification";
export type { Comparison, FilterField, SegmentFilter, TagFilter } from "./models/segment";
export type { Template as TemplateInfo, TemplateButton, TemplateChannel, TemplateContent } from "./models/template";
export type { Purchase, Subscription, SubscriptionType, User, UserInput, UserProperties } from "./models/user";
export type { ApiKeyArgs, ApiKeyInputs, ApiKeyOutputs } from "./resources/api-key";
export type { AppArgs, AppInputs, AppOutputs } from "./resources/app";
export type { SegmentArgs, SegmentInputs, SegmentOutputs } from "./resources/segment";
export type { TemplateArgs, TemplateInputs, TemplateOutputs } from "./resources/template";

// The resources are loaded on first use: a resource class loads the Pulumi SDK (about 0.8 s and 70 MB), which a
// script or the CLI that only calls functions never needs. Each is declared here and defined as a getter below.

/** An API key of an app; see {@link ApiKeyModule.ApiKey}. */
export declare const ApiKey: typeof ApiKeyModule.ApiKey;
/** An API key of an app (the instance type). */
export type ApiKey = ApiKeyModule.ApiKey;
/** A OneSignal app; see {@link AppModule.App}. */
export declare const App: typeof AppModule.App;
/** A OneSignal app (the instance type). */
export type App = AppModule.App;
/** A segment of an app's audience; see {@link SegmentModule.Segment}. */
export declare const Segment: typeof SegmentModule.Segment;
/** A segment of an app's audience (the instance type). */
export type Segment = SegmentModule.Segment;
/** A message template; see {@link TemplateModule.Template}. */
export declare const Template: typeof TemplateModule.Template;
/** A message template (the instance type). */
export type Template = TemplateModule.Template;

/** The class a registry row names, from its module (loaded now, if it was not yet). */
function resourceClass<T>(row: ResourceRow): T {
  return require(`./resources/${row.module}`)[row.name];
}

/** The resource classes, each loaded on first use. */
const resources = {
  get ApiKey(): typeof ApiKeyModule.ApiKey {
    return resourceClass(RESOURCES.ApiKey);
  },
  get App(): typeof AppModule.App {
    return resourceClass(RESOURCES.App);
  },
  get Segment(): typeof SegmentModule.Segment {
    return resourceClass(RESOURCES.Segment);
  },
  get Template(): typeof TemplateModule.Template {
    return resourceClass(RESOURCES.Template);
  },
};
// Written out one by one, in the one form Node's ES module loader recognizes as an export of a CommonJS
// module, so `import { App } from "pulumi-onesignal"` works from ES modules too.
Object.defineProperty(exports, "ApiKey", {
  enumerable: true,
  get() {
    return resources.ApiKey;
  },
});
Object.defineProperty(exports, "App", {
  enumerable: true,
  get() {
    return resources.App;
  },
});
Object.defineProperty(exports, "Segment", {
  enumerable: true,
  get() {
    return resources.Segment;
  },
});
Object.defineProperty(exports, "Template", {
  enumerable: true,
  get() {
    return resources.Template;
  },
});
