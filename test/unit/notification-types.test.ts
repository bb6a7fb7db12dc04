import { describe, expect, it } from "vitest";
import type { NotificationInput } from "../../provider/index";
import { notificationProblems, toApiNotification } from "../../provider/models/notification";

// These assignments are checked by `npm run typecheck`: each @ts-expect-error must be a type error.
const appId = "app";
const valid: NotificationInput[] = [
  { appId, includedSegments: ["Testers"], contents: { en: "Hi" } },
  { appId, filters: [{ field: "language", relation: "=", value: "fr" }], templateId: "t" },
  { appId, includeAliases: { external_id: ["u1"] }, targetChannel: "push", contents: { en: "Hi" } },
  { appId, emailTo: ["a@example.com"], emailSubject: "s", emailBody: "b" },
  { appId, includedSegments: ["All"], targetChannel: "email", emailSubject: "s", emailBody: "b" },
  { appId, includePhoneNumbers: ["+15555550100"], contents: { en: "code" }, smsFrom: "+15555550199" },
  { appId, includeSubscriptionIds: ["id"], contentAvailable: true, data: { sync: true } },
];

// @ts-expect-error two targeting methods
const mixed: NotificationInput = { appId, includedSegments: ["A"], filters: [], contents: { en: "Hi" } };
// @ts-expect-error no targeting at all
const untargeted: NotificationInput = { appId, contents: { en: "Hi" } };
// @ts-expect-error a push without English content
const noEnglish: NotificationInput = { appId, includedSegments: ["A"], contents: { fr: "Salut" } };
// @ts-expect-error an email without a subject
const noSubject: NotificationInput = { appId, emailTo: ["a@example.com"], emailBody: "b" };
// @ts-expect-error aliases without a target channel
const noChannel: NotificationInput = { appId, includeAliases: { external_id: ["u"] }, contents: { en: "Hi" } };
// @ts-expect-error email fields on an SMS
const smsWithSubject: NotificationInput = {
  appId,
  includePhoneNumbers: ["+1555"],
  contents: { en: "x" },
  emailSubject: "s",
};

describe("NotificationInput", () => {
  it("the valid examples pass the runtime rules too, and the invalid ones do not", () => {
    for (const notification of valid) expect(notificationProblems(notification as never)).toEqual([]);
    for (const notification of [mixed, untargeted, noEnglish, noSubject, noChannel]) {
      expect(notificationProblems(notification as never).length).toBeGreaterThan(0);
    }
    expect(smsWithSubject).toBeDefined();
  });

  it("refuses the delivery options OneSignal would refuse: sets, sizes and forms", () => {
    const base = { appId, includedSegments: ["A"], contents: { en: "Hi" } };
    const cases: [Record<string, unknown>, string][] = [
      [{ iosBadgeType: "Add" }, 'iosBadgeType must be one of None, SetTo, Increase, not "Add"'],
      [{ iosInterruptionLevel: "loud" }, "iosInterruptionLevel must be one of"],
      [{ iosRelevanceScore: 1.47 }, "iosRelevanceScore must be a number from 0 to 1"],
      [{ delayedOption: "later" }, "delayedOption must be one of timezone, last-active"],
      [{ throttleRatePerMinute: -1 }, "throttleRatePerMinute must be a whole number"],
      [{ deliveryTimeOfDay: "breakfast" }, "deliveryTimeOfDay must be a time of day"],
      [{ isIos: "no" }, "isIos must be true or false"],
      [{ huaweiMsgType: "silent" }, 'huaweiMsgType must be one of message, data, not "silent"'],
      [{ huaweiCategory: "NEWS" }, "huaweiCategory must be one of IM, VOIP,"],
      [{ huaweiBadgeAddNum: 0 }, "huaweiBadgeAddNum must be a whole number from 1 to 99, not 0"],
      [{ huaweiBadgeSetNum: 1.5 }, "huaweiBadgeSetNum must be a whole number from 0 to 99, not 1.5"],
      [{ huaweiBigPicture: "javascript:alert(1)" }, "huaweiBigPicture"],
      [{ sendAfter: "2026-12-24 18:00:00" }, 'sendAfter "2026-12-24 18:00:00" names no time zone'],
      [{ customData: { text: "x".repeat(2100) } }, "customData must be at most 2048 bytes as JSON for a push message"],
      [
        { includedSegments: undefined, includeSubscriptionIds: Array(20_001).fill("id") },
        "includeSubscriptionIds takes at most 20000 entries",
      ],
    ];
    for (const [fields, problem] of cases) {
      const problems = notificationProblems({ ...base, ...fields });
      expect(
        problems.some((text) => text.startsWith(problem)),
        `${problem} in ${problems.join(" | ")}`,
      ).toBe(true);
    }
    const fine = { throttleRatePerMinute: 100, deliveryTimeOfDay: "21:45", customData: { cart: ["sweater"] } };
    expect(notificationProblems({ ...base, ...fine, delayedOption: "timezone", iosBadgeType: "SetTo" })).toEqual([]);
    const huawei = {
      huaweiMsgType: "message",
      huaweiCategory: "ACCOUNT",
      huaweiChannelId: "orders",
      huaweiBigPicture: "https://shop.example/sale.png",
      huaweiBadgeClass: "com.shop.MainActivity",
      huaweiBadgeSetNum: 0,
      huaweiBiTag: "sale",
      globalImage: "https://shop.example/all.png",
      androidGroup: "orders",
      androidGroupMessage: { en: "$[notif_count] orders" },
      webPushTopic: "order-42",
      apnsAlert: { "loc-key": "ORDER", "loc-args": ["42"] },
      summaryArgCount: 3,
    } as const;
    expect(notificationProblems({ ...base, ...huawei })).toEqual([]);
    // Huawei's options go out under OneSignal's names, as every other field.
    expect(toApiNotification({ ...base, ...huawei } as never)).toMatchObject({
      huawei_msg_type: "message",
      huawei_category: "ACCOUNT",
      huawei_channel_id: "orders",
      huawei_big_picture: "https://shop.example/sale.png",
      huawei_badge_class: "com.shop.MainActivity",
      huawei_badge_set_num: 0,
      huawei_bi_tag: "sale",
      global_image: "https://shop.example/all.png",
      android_group: "orders",
      android_group_message: { en: "$[notif_count] orders" },
      web_push_topic: "order-42",
      apns_alert: { "loc-key": "ORDER", "loc-args": ["42"] },
      summary_arg_count: 3,
    });
    for (const sendAfter of [
      "2026-12-24T18:00:00Z",
      "2026-12-24 18:00:00 GMT-0700",
      "Thu Dec 24 2026 18:00:00 GMT-0700 (PDT)",
      "2026-12-24T18:00:00+01:00",
      "2026-12-24",
    ]) {
      expect(notificationProblems({ ...base, sendAfter }), sendAfter).toEqual([]);
    }
    const email = { appId, emailTo: ["a@example.com"], emailSubject: "s", emailBody: "b" };
    expect(notificationProblems({ ...email, customData: { text: "x".repeat(5000) } })).toEqual([]);
  });

  it("maps fields one by one and passes user dictionaries through", () => {
    expect(
      toApiNotification({
        appId,
        includeAliases: { "Custom Label": ["ID-1"] },
        targetChannel: "push",
        contents: { en: "Hi", "zh-Hans": "你好" },
        data: { deepLink: "app://x", nested: { camelCase: 1 } },
        sendAfter: new Date("2026-12-01T09:00:00Z"),
        iosBadgeType: "Increase",
        filters: [{ field: "lastSession", relation: ">", hoursAgo: 2 }],
      }),
    ).toEqual({
      app_id: appId,
      include_aliases: { "Custom Label": ["ID-1"] },
      target_channel: "push",
      contents: { en: "Hi", "zh-Hans": "你好" },
      data: { deepLink: "app://x", nested: { camelCase: 1 } },
      send_after: "2026-12-01T09:00:00.000Z",
      ios_badgeType: "Increase",
      filters: [{ field: "last_session", relation: ">", hours_ago: "2" }],
    });
  });
});
