/**
 * `pulumi-onesignal/emulator`: a stateful local server that speaks OneSignal's REST API.
 * @packageDocumentation
 */
export { type EmulatorOptions, type RunningEmulator, startEmulator } from "./server";
