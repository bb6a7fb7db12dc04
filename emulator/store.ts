import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import * as path from "node:path";
import { Clock } from "./clock";
import { hashKey, newId, newOrganizationApiKey, startAppApiKey } from "./ids";
import { snapshotProblem } from "./snapshot-check";

/** The one organization the emulator serves, with its API key. */
export interface OrganizationRecord {
  id: string;
  apiKey: string;
}

/** An app as the emulator stores it; `settings` holds the wire fields OneSignal accepts on create and update. */
export interface AppRecord {
  id: string;
  organizationId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  settings: Record<string, unknown>;
}

/** An app API key; the secret itself is kept only as a SHA-256 hash. */
export interface ApiKeyRecord {
  tokenId: string;
  appId: string;
  name: string;
  ipAllowlistMode: "disabled" | "explicit";
  ipAllowlist: string[];
  createdAt: string;
  updatedAt: string;
  tokenHash: string;
}

/** A segment: its filters as OneSignal stores them (wire form). */
export interface SegmentRecord {
  id: string;
  appId: string;
  name: string;
  description: string | null;
  filters: Record<string, unknown>[];
  createdAt: string;
  updatedAt: string;
}

/** A template: its channel and its content fields (wire names). */
export interface TemplateRecord {
  id: string;
  appId: string;
  name: string;
  channel: "push" | "email" | "sms";
  content: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/**
 * A device ("player" in the v1 API, a subscription in the user model): a push token, an email
 * address or a phone number, with the fields segment filters read.
 */
export interface DeviceRecord {
  id: string;
  appId: string;
  deviceType: number;
  /** The user-model subscription type, when the device was made through the users API. */
  subscriptionType: string | null;
  identifier: string | null;
  externalUserId: string | null;
  /** The onesignal_id of the user the device belongs to, if any. */
  userId: string | null;
  language: string | null;
  timezone: number | null;
  country: string | null;
  tags: Record<string, string>;
  sessionCount: number;
  sessionTime: number;
  amountSpent: number;
  /** Unix seconds. */
  lastActive: number;
  /** Unix seconds. */
  createdAt: number;
  gameVersion: string | null;
  deviceModel: string | null;
  deviceOs: string | null;
  adId: string | null;
  sdk: string | null;
  lat: number | null;
  long: number | null;
  /** 1 subscribed; 0 or negative unsubscribed. */
  notificationTypes: number;
  testType: number | null;
  badgeCount: number;
}

/** A user of the user model: aliases and properties; its subscriptions are devices with its id. */
export interface UserRecord {
  id: string;
  appId: string;
  /** Alias label → id, `external_id` among them (onesignal_id is `id`). */
  aliases: Record<string, string>;
  properties: Record<string, unknown>;
}

/** A notification: what was asked (wire fields), and what happened. */
export interface NotificationRecord {
  id: string;
  appId: string;
  /** 0 dashboard, 1 API, 3 automated. */
  kind: number;
  /** The create body as sent, less the app id. */
  request: Record<string, unknown>;
  channel: "push" | "email" | "sms";
  /** Unix seconds. */
  queuedAt: number;
  /**
   * Milliseconds since the epoch, the same moment as `queuedAt`: time-offset paging orders by it, so that a
   * cursor taken within a second continues after the messages it saw (absent in older data files).
   */
  queuedAtMs?: number;
  /** Unix seconds, when scheduled. */
  sendAfter: number | null;
  /** Unix seconds, once delivered. */
  completedAt: number | null;
  canceled: boolean;
  /** The devices it reached (set at delivery). */
  recipients: string[];
  successful: number;
  failed: number;
  errored: number;
  converted: number;
  received: number;
  remaining: number;
  idempotencyKey: string | null;
  /** Who clicked it, once each, recorded with `POST /_emulator/notifications/{id}/clicks` (absent in older data files). */
  clicks?: { subscriptionId: string; at: number }[];
}

/** A remembered create-notification answer, replayed for the same idempotency key. */
export interface IdempotencyRecord {
  appId: string;
  key: string;
  /** Unix seconds; OneSignal keeps keys for 30 days. */
  createdAt: number;
  body: Record<string, unknown>;
}

/** What the data file holds. */
export interface StoreSnapshot {
  version: 1;
  organization: OrganizationRecord;
  clockOffsetMs: number;
  apps: AppRecord[];
  apiKeys: ApiKeyRecord[];
  segments?: SegmentRecord[];
  templates?: TemplateRecord[];
  devices?: DeviceRecord[];
  users?: UserRecord[];
  notifications?: NotificationRecord[];
  idempotency?: IdempotencyRecord[];
}

/** Options of {@link Store}. */
export interface StoreOptions {
  dataFile?: string | undefined;
  organizationApiKey?: string | undefined;
}

/**
 * All state of the emulator, in memory, optionally persisted to a JSON data file.
 *
 * Writes are atomic (a temporary file, fsync, rename) and grouped: every mutating request awaits
 * {@link Store.persist} before it answers, so an answered request is on disk, and concurrent
 * requests share one write.
 */
export class Store {
  readonly clock: Clock;
  organization: OrganizationRecord;
  readonly apps = new Map<string, AppRecord>();
  readonly apiKeys = new Map<string, ApiKeyRecord>();
  readonly segments = new Map<string, SegmentRecord>();
  readonly templates = new Map<string, TemplateRecord>();
  readonly devices = new Map<string, DeviceRecord>();
  readonly users = new Map<string, UserRecord>();
  readonly notifications = new Map<string, NotificationRecord>();
  /** Ids of scheduled notifications not yet delivered or canceled: what the clock has to look at. */
  readonly pendingNotifications = new Set<string>();
  /** By `<app id> <key>`. */
  readonly idempotency = new Map<string, IdempotencyRecord>();
  private readonly deviceByIdentifier = new Map<string, string>();
  private readonly userByAlias = new Map<string, string>();
  /** Device ids by the user they were last put under, and that user by device: users' subscriptions without a scan. */
  private readonly devicesByUser = new Map<string, Set<string>>();
  private readonly indexedUserOf = new Map<string, string>();
  /** Device ids by app, in the order the devices were first put: an app's devices without a scan of every app's. */
  private readonly devicesByApp = new Map<string, Set<string>>();
  private readonly apiKeyByHash = new Map<string, string>();
  private readonly dataFile: string | undefined;
  private writeChain: Promise<void> = Promise.resolve();
  private scheduledWrite: Promise<void> | undefined;

  constructor(options: StoreOptions = {}) {
    this.dataFile = options.dataFile;
    this.clock = new Clock();
    this.organization = { id: newId(), apiKey: options.organizationApiKey ?? newOrganizationApiKey() };
    // The data file's folder is made here, not at the first write: `--data new/dir/state.json` just works.
    if (this.dataFile) mkdirSync(path.dirname(path.resolve(this.dataFile)), { recursive: true, mode: 0o700 });
    if (this.dataFile) removeStaleTemporaries(this.dataFile);
    if (this.dataFile && existsSync(this.dataFile)) {
      this.load(readSnapshot(this.dataFile));
      if (options.organizationApiKey) this.organization.apiKey = options.organizationApiKey;
    }
  }

  /** Forgets every app, key, segment, template and the clock offset; the organization keeps its id and key. */
  reset(): void {
    this.apps.clear();
    this.apiKeys.clear();
    this.apiKeyByHash.clear();
    this.segments.clear();
    this.templates.clear();
    this.devices.clear();
    this.users.clear();
    this.deviceByIdentifier.clear();
    this.userByAlias.clear();
    this.devicesByUser.clear();
    this.indexedUserOf.clear();
    this.devicesByApp.clear();
    this.notifications.clear();
    this.pendingNotifications.clear();
    this.idempotency.clear();
    this.clock.offsetMs = 0;
  }

  /**
   * The app of this name made at start (kept when it is already there), with an app API key derived
   * from the organization key and the app id: the same key for the same data file.
   */
  ensureStartApp(name: string): { name: string; id: string; apiKey: string } {
    const now = this.clock.iso();
    let app = [...this.apps.values()].find((candidate) => candidate.name === name);
    if (!app) {
      app = { id: newId(), organizationId: this.organization.id, name, createdAt: now, updatedAt: now, settings: {} };
      this.apps.set(app.id, app);
    }
    const apiKey = startAppApiKey(this.organization.apiKey, app.id);
    if (!this.findApiKeyBySecret(apiKey)) {
      this.putApiKey({
        tokenId: newId(),
        appId: app.id,
        name: "emulator",
        ipAllowlistMode: "disabled",
        ipAllowlist: [],
        createdAt: now,
        updatedAt: now,
        tokenHash: hashKey(apiKey),
      });
    }
    return { name, id: app.id, apiKey };
  }

  /** Adds or replaces an API key record and its hash index. */
  putApiKey(record: ApiKeyRecord, previousHash?: string): void {
    if (previousHash) this.apiKeyByHash.delete(previousHash);
    this.apiKeys.set(record.tokenId, record);
    this.apiKeyByHash.set(record.tokenHash, record.tokenId);
  }

  /** Removes an API key; its secret stops working at once. */
  deleteApiKey(tokenId: string): void {
    const record = this.apiKeys.get(tokenId);
    if (!record) return;
    this.apiKeyByHash.delete(record.tokenHash);
    this.apiKeys.delete(tokenId);
  }

  /** The API key record whose secret is `key`, if any. */
  findApiKeyBySecret(key: string): ApiKeyRecord | undefined {
    const tokenId = this.apiKeyByHash.get(hashKey(key));
    return tokenId === undefined ? undefined : this.apiKeys.get(tokenId);
  }

  /** Adds or replaces a device, keeping the identifier index (one device per identifier and app). */
  putDevice(device: DeviceRecord): void {
    const previous = this.devices.get(device.id);
    if (previous?.identifier) this.deviceByIdentifier.delete(identifierKey(previous.appId, previous.identifier));
    if (previous && previous.appId !== device.appId) this.devicesByApp.get(previous.appId)?.delete(device.id);
    this.devices.set(device.id, device);
    const ofApp = this.devicesByApp.get(device.appId) ?? new Set<string>();
    ofApp.add(device.id);
    this.devicesByApp.set(device.appId, ofApp);
    if (device.identifier) this.deviceByIdentifier.set(identifierKey(device.appId, device.identifier), device.id);
    this.indexUser(device.id, device.userId);
  }

  /** Files a device under its user in the user index (routes change `userId` in place, then put the device). */
  private indexUser(deviceId: string, userId: string | null): void {
    const before = this.indexedUserOf.get(deviceId);
    if (before === (userId ?? undefined)) return;
    if (before !== undefined) this.devicesByUser.get(before)?.delete(deviceId);
    if (userId === null) {
      this.indexedUserOf.delete(deviceId);
      return;
    }
    this.indexedUserOf.set(deviceId, userId);
    const ids = this.devicesByUser.get(userId) ?? new Set<string>();
    ids.add(deviceId);
    this.devicesByUser.set(userId, ids);
  }

  /** A user's devices (its subscriptions), as last put. */
  devicesOfUser(userId: string): DeviceRecord[] {
    const devices: DeviceRecord[] = [];
    for (const id of this.devicesByUser.get(userId) ?? []) {
      const device = this.devices.get(id);
      if (device?.userId === userId) devices.push(device);
    }
    return devices;
  }

  /** Removes a device. */
  deleteDevice(id: string): void {
    const device = this.devices.get(id);
    if (!device) return;
    if (device.identifier) this.deviceByIdentifier.delete(identifierKey(device.appId, device.identifier));
    this.indexUser(id, null);
    this.devicesByApp.get(device.appId)?.delete(id);
    this.devices.delete(id);
  }

  /** The device of an app with this identifier (push token, email or phone number). */
  findDeviceByIdentifier(appId: string, identifier: string): DeviceRecord | undefined {
    const id = this.deviceByIdentifier.get(identifierKey(appId, identifier));
    return id === undefined ? undefined : this.devices.get(id);
  }

  /** Adds or replaces a user, keeping the alias index. */
  putUser(user: UserRecord): void {
    const previous = this.users.get(user.id);
    if (previous)
      for (const [label, id] of Object.entries(previous.aliases))
        this.userByAlias.delete(aliasKey(user.appId, label, id));
    this.users.set(user.id, user);
    for (const [label, id] of Object.entries(user.aliases))
      this.userByAlias.set(aliasKey(user.appId, label, id), user.id);
  }

  /** Removes a user (not its devices). */
  deleteUser(id: string): void {
    const user = this.users.get(id);
    if (!user) return;
    for (const [label, alias] of Object.entries(user.aliases))
      this.userByAlias.delete(aliasKey(user.appId, label, alias));
    this.users.delete(id);
  }

  /** The user of an app with this alias; `onesignal_id` is the user's own id. */
  findUserByAlias(appId: string, label: string, id: string): UserRecord | undefined {
    if (label === "onesignal_id") {
      const user = this.users.get(id);
      return user?.appId === appId ? user : undefined;
    }
    const userId = this.userByAlias.get(aliasKey(appId, label, id));
    return userId === undefined ? undefined : this.users.get(userId);
  }

  /** The devices of an app, in insertion order. */
  devicesOf(appId: string): DeviceRecord[] {
    const devices: DeviceRecord[] = [];
    for (const id of this.devicesByApp.get(appId) ?? []) {
      const device = this.devices.get(id);
      if (device) devices.push(device);
    }
    return devices;
  }

  /** The state as plain JSON. */
  snapshot(): StoreSnapshot {
    return {
      version: 1,
      organization: this.organization,
      clockOffsetMs: this.clock.offsetMs,
      apps: [...this.apps.values()],
      apiKeys: [...this.apiKeys.values()],
      segments: [...this.segments.values()],
      templates: [...this.templates.values()],
      devices: [...this.devices.values()],
      users: [...this.users.values()],
      notifications: [...this.notifications.values()],
      idempotency: [...this.idempotency.values()],
    };
  }

  /**
   * Writes the state to the data file, if there is one; resolves once a write that started after
   * this call has finished, so everything changed before the call is on disk.
   */
  persist(): Promise<void> {
    const file = this.dataFile;
    if (!file) return Promise.resolve();
    if (!this.scheduledWrite) {
      const write = this.writeChain.then(async () => {
        this.scheduledWrite = undefined;
        await writeAtomically(file, this.serialize(file));
      });
      this.scheduledWrite = write;
      this.writeChain = write.catch((error: unknown) => {
        process.stderr.write(`onesignal-emulator: could not write ${file}: ${String(error)}\n`);
      });
    }
    return this.scheduledWrite;
  }

  /**
   * The state as the data file's text. Requests are checked so that what they store can always be written; should
   * a state slip through that cannot be (a defect), the changes since the last write are undone by reading the data
   * file back, and the requests that made them fail, rather than the state failing every later write.
   */
  private serialize(file: string): string {
    try {
      return JSON.stringify(this.snapshot());
    } catch (error) {
      // The file holds exactly what answered requests made: each answer waited for its write.
      const lastWritten = readSnapshot(file);
      this.reset();
      this.load(lastWritten);
      throw new Error(
        `the state could not be written (${String(error)}); the changes since the last write were undone`,
      );
    }
  }

  /** Resolves when every write asked for so far has finished. */
  async flush(): Promise<void> {
    await this.writeChain;
  }

  private load(snapshot: StoreSnapshot): void {
    this.organization = snapshot.organization;
    this.clock.offsetMs = snapshot.clockOffsetMs;
    for (const app of snapshot.apps) this.apps.set(app.id, app);
    for (const key of snapshot.apiKeys) this.putApiKey(key);
    for (const segment of snapshot.segments ?? []) this.segments.set(segment.id, segment);
    for (const template of snapshot.templates ?? []) this.templates.set(template.id, template);
    for (const device of snapshot.devices ?? []) this.putDevice(device);
    for (const user of snapshot.users ?? []) this.putUser(user);
    for (const notification of snapshot.notifications ?? []) {
      this.notifications.set(notification.id, notification);
      if (notification.completedAt === null && !notification.canceled) this.pendingNotifications.add(notification.id);
    }
    for (const entry of snapshot.idempotency ?? []) this.idempotency.set(`${entry.appId} ${entry.key}`, entry);
  }
}

function identifierKey(appId: string, identifier: string): string {
  return `${appId}\u0000${identifier}`;
}

function aliasKey(appId: string, label: string, id: string): string {
  return `${appId}\u0000${label}\u0000${id}`;
}

function readSnapshot(file: string): StoreSnapshot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(
      `The emulator data file ${file} is not valid JSON (${String(error)}); move it away to start fresh.`,
    );
  }
  const wrong = snapshotProblem(parsed);
  if (wrong) {
    throw new Error(
      `The emulator data file ${file} is not a version 1 emulator snapshot (${wrong}); move it away to start fresh.`,
    );
  }
  return parsed as StoreSnapshot;
}

/** Removes the temporary files a killed emulator left beside its data file (`<file>.<pid>.tmp`). */
function removeStaleTemporaries(file: string): void {
  const directory = path.dirname(path.resolve(file));
  if (!existsSync(directory)) return;
  const prefix = `${path.basename(file)}.`;
  for (const name of readdirSync(directory)) {
    if (name.startsWith(prefix) && /^\d+\.tmp$/.test(name.slice(prefix.length)))
      rmSync(path.join(directory, name), { force: true });
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  // The file holds the organization key: readable by its owner only.
  const handle = await open(temporary, "w", 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}
