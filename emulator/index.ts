/**
 * `pulumi-onesignal/emulator`: a stateful local server that speaks OneSignal's REST API.
 * @packageDocumentation
 */
export { type EmulatorOptions, type RunningEmulator, type StartApp, startEmulator } from "./server";
