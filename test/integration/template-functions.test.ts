import { describe, expect, it } from "vitest";
import { getTemplate, listTemplates, OneSignalError } from "../../provider/index";
import { useEmulatorApp } from "../support/use-emulator";

const { emulator, app } = useEmulatorApp();

describe("getTemplate and listTemplates", () => {
  it("read templates with their channel and content in camelCase, every page", async () => {
    const ids: string[] = [];
    for (let n = 0; n < 52; n++) {
      const made = await emulator.api<{ id: string }>("POST", "/templates", app.appKey, {
        app_id: app.appId,
        name: `push-${n}`,
        contents: { en: `Hi ${n}` },
        big_picture: "https://example.com/a.png",
      });
      ids.push(made.body.id);
    }
    const email = await emulator.api<{ id: string }>("POST", "/templates", app.appKey, {
      app_id: app.appId,
      name: "mail",
      isEmail: true,
      email_subject: "Hello",
      email_body: "<p>Hi</p>",
    });
    const before = (await emulator.requests()).length;
    const all = await listTemplates(app.appId, app.opts);
    expect(all).toHaveLength(53);
    expect((await emulator.requests()).slice(before).map((entry) => entry.path)).toEqual(["/templates", "/templates"]);
    expect(await getTemplate(app.appId, ids[0] as string, app.opts)).toMatchObject({
      id: ids[0],
      name: "push-0",
      channel: "push",
      contents: { en: "Hi 0" },
      bigPicture: "https://example.com/a.png",
    });
    const mail = await getTemplate(app.appId, email.body.id, app.opts);
    expect(mail).toMatchObject({ channel: "email", emailSubject: "Hello", emailBody: "<p>Hi</p>" });
    expect(mail).not.toHaveProperty("contents");
  });

  it("refuse a template id that is no UUID before any request", async () => {
    const requests = await emulator.requestsDuring(async () => {
      await expect(getTemplate(app.appId, "welcome", app.opts)).rejects.toThrow(
        new OneSignalError("getTemplate: templateId must be a template's id (a UUID)"),
      );
    });
    expect(requests).toEqual([]);
  });
});
