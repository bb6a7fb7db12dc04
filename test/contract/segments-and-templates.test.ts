import { describe, expect } from "vitest";
import { createHttpClient } from "../../provider/client/http";
import * as segments from "../../provider/client/segments";
import * as templates from "../../provider/client/templates";
import { filter } from "../../provider/models/filter-builder";
import { toApiFilters } from "../../provider/models/segment";
import { TemplateProvider } from "../../provider/resources/template";
import { contractSuite } from "../support/contract-suite";
import { createAppWithKey } from "../support/fixtures";
import { openApiAvailable } from "../support/openapi";

describe.runIf(openApiAvailable())("segments and templates against onesignal-current.yaml", () => {
  contractSuite({
    app: true,
    async exercise({ emulator, proxy, app: { appId, appKey } }) {
      const { appId: otherAppId } = await createAppWithKey(emulator, "other");
      const app = createHttpClient({ apiUrl: proxy.url, apiKey: appKey, retry: { maxRetries: 0 } });
      const org = createHttpClient({
        apiUrl: proxy.url,
        apiKey: emulator.organizationApiKey,
        retry: { maxRetries: 0 },
      });

      const everyFilter = toApiFilters([
        filter.tag("plan").in("pro", "team"),
        filter.tag("beta").exists(),
        filter.tag("signup").olderThanSeconds(86400),
        filter.lastSession.moreThanHoursAgo(1.5),
        filter.or,
        filter.sessionCount.greaterThan(3),
        filter.appVersion.isNot("1.0"),
        filter.language.is("fr"),
        filter.country.is("FR"),
        filter.near(48.85, 2.35, 1000),
      ]);
      const id = await segments.createSegment(app, appId, {
        name: "Everything",
        description: "d",
        filters: everyFilter,
      });
      await segments.listSegmentsPage(app, appId);
      await segments.getSegment(app, appId, id);
      await segments.updateSegment(app, appId, id, {
        name: "Renamed",
        filters: toApiFilters([filter.language.is("en")]),
      });
      await segments.deleteSegment(app, appId, id);

      const push = await templates.createTemplate(app, {
        app_id: appId,
        name: "Welcome",
        contents: { en: "Hi", fr: "Salut" },
        headings: { en: "Welcome" },
        data: { screen: "home" },
        buttons: [{ id: "open", text: "Open" }],
      });
      // The email template goes through the resource's own create, which fills what the description requires.
      const provider = new TemplateProvider();
      provider.stackConfig = { apiUrl: proxy.url, appApiKey: appKey };
      await provider.create({ appId, name: "Digest", channel: "email", emailSubject: "News", emailBody: "<p>Hi</p>" });
      await templates.createTemplate(app, {
        app_id: appId,
        name: "Code",
        isSMS: true,
        contents: { en: "Code" },
        sms_from: "+15555550100",
      });
      await templates.listTemplatesPage(app, appId, { limit: 10 });
      await templates.getTemplate(app, appId, push.id);
      await templates.updateTemplate(app, appId, push.id, { name: "Hello", contents: { en: "Hello" } });
      await templates.copyTemplateToApp(org, appId, push.id, otherAppId);
      await templates.deleteTemplate(app, appId, push.id);

      const failures: (() => Promise<unknown>)[] = [
        () =>
          segments.createSegment(app, appId, {
            name: "bad",
            filters: [{ field: "user_id", relation: "=", value: "1" }],
          }),
        () => segments.getSegment(app, appId, id),
        () => segments.updateSegment(app, appId, id, { name: "gone" }),
        () => segments.deleteSegment(app, appId, id),
        () => templates.createTemplate(app, { app_id: appId, name: "x", contents: { fr: "x" } }),
        () => templates.getTemplate(app, appId, push.id),
        () => templates.deleteTemplate(app, appId, push.id),
      ];
      for (const failure of failures) await expect(failure()).rejects.toThrow(/OneSignal answered 40[04]/);
    },
    operations: [
      "create_segment 201",
      "create_segment 400",
      "get_segments 201",
      "get_segment 200",
      "get_segment 404",
      "update_segment 200",
      "update_segment 404",
      "delete_segment 200",
      "delete_segment 404",
      "create_template 200",
      "create_template 400",
      "view_templates 200",
      "view_template 200",
      "view_template 404",
      "update_template 200",
      "copy_template_to_app 200",
      "delete_template 200",
      "delete_template 404",
    ],
  });
});
