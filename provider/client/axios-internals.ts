/**
 * The axios internals the HTTP client leans on, in one place, each checked where it is taken so that an
 * axios release that changes them fails loudly here (and in test/unit/third-party-internals.test.ts), not
 * as a strange request:
 *
 * - `axios.getAdapter("http")`, the Node.js adapter, called directly: going through axios's core would
 *   merge, check and flatten the whole configuration again on every request (a fifth of a bulk upsert's CPU);
 * - a request's configuration whose prototype is the client's settled one: the adapter reads the settings a
 *   request does not set through the prototype, so the client's are settled once.
 *
 * axios is loaded when the first client is made, not with this module: loading it takes about 50 ms, which every
 * Pulumi program that declares resources (and never calls OneSignal itself) would otherwise pay.
 */
import type { AxiosAdapter, AxiosError, AxiosRequestConfig, AxiosStatic, InternalAxiosRequestConfig } from "axios";

let loaded: AxiosStatic | undefined;
/** axios, loaded on first use. */
function axiosLibrary(): AxiosStatic {
  loaded ??= require("axios") as AxiosStatic;
  return loaded;
}

/** Whether an error is one of axios's (a failed request), for the client's error mapping. */
export function isAxiosError(error: unknown): error is AxiosError {
  return loaded?.isAxiosError(error) === true;
}

/** axios's Node.js adapter, the one function every request of the client is handed to. */
export function nodeHttpAdapter(): AxiosAdapter {
  const axios = axiosLibrary();
  const adapter: unknown = axios.getAdapter("http");
  if (typeof adapter !== "function") {
    throw new Error(
      `axios ${axios.VERSION} has no Node.js adapter function (axios.getAdapter("http")): pulumi-onesignal's client needs one`,
    );
  }
  return adapter as AxiosAdapter;
}

/** The client's settings merged onto axios's defaults once, as axios's core would merge them per request. */
export function settledConfig(settings: AxiosRequestConfig): AxiosRequestConfig {
  // A plain object: the adapter reads a request's settings through its prototype only when that is not null.
  const axios = axiosLibrary();
  return { ...axios.mergeConfig(axios.defaults as unknown as AxiosRequestConfig, settings) };
}

/** One request's own settings, on top of the client's settled ones (read through the prototype). */
export function requestConfig(settled: AxiosRequestConfig, own: AxiosRequestConfig): InternalAxiosRequestConfig {
  return Object.assign(Object.create(settled) as InternalAxiosRequestConfig, own);
}
