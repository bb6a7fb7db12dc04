/**
 * A notification: the types `sendNotification` takes, their validation, and the mapping to and from the wire.
 * @packageDocumentation
 */
export { NOTIFICATION_FIELDS } from "./fields";
export type {
  EmailFields,
  EmailNotification,
  EnglishContents,
  NotificationBase,
  NotificationButton,
  NotificationChannel,
  NotificationInput,
  PushFields,
  PushNotification,
  SmsFields,
  SmsNotification,
  WebButton,
} from "./types";
export { channelOfNotification, notificationProblems } from "./validation";
export { fromApiNotification, type Notification, toApiNotification } from "./wire";
