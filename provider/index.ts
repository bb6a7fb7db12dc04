/**
 * pulumi-onesignal: OneSignal as code. Dynamic resources for apps, API keys, segments and templates, functions for
 * programs, hooks and scripts, and the error classes they throw.
 * @packageDocumentation
 */
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
export type { TemplateButton, TemplateChannel, TemplateContent } from "./models/template";
export type { Purchase, Subscription, SubscriptionType, User, UserInput, UserProperties } from "./models/user";
export { ApiKey, type ApiKeyArgs, type ApiKeyInputs, type ApiKeyOutputs } from "./resources/api-key";
export { App, type AppArgs, type AppInputs, type AppOutputs } from "./resources/app";
export { Segment, type SegmentArgs, type SegmentInputs, type SegmentOutputs } from "./resources/segment";
export { Template, type TemplateArgs, type TemplateInputs, type TemplateOutputs } from "./resources/template";
