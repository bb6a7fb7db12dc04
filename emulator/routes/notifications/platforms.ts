// The push platforms a message may leave out by flag: read when checking a message and when choosing
// its recipients.

/** The platform flag of each push device type; web browsers also answer to `isAnyWeb`. */
export const PLATFORM_FLAGS: Record<number, string> = {
  0: "isIos",
  1: "isAndroid",
  2: "isAdm",
  3: "isWP",
  4: "isChrome",
  5: "isChromeWeb",
  6: "isWP_WNS",
  7: "isSafari",
  8: "isFirefox",
  9: "isMacOSX",
  10: "isAlexa",
  13: "isHuawei",
};
/** The browsers' device types (Chrome, Safari, Firefox): what `isAnyWeb: false` leaves out. */
export const WEB_DEVICE_TYPES = [5, 7, 8];
