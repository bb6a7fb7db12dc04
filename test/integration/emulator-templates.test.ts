import { describe, expect, it } from "vitest";
import { createAppWithKey } from "../support/fixtures";
import { useEmulatorApp } from "../support/use-emulator";

const { emulator, app } = useEmulatorApp({ resetEach: true });

type Template = { id: string; name: string; channel: string; content: Record<string, unknown> };

async function create(body: Record<string, unknown>) {
  return emulator.api<Template & { errors?: string[] }>("POST", "/templates", app.appKey, {
    app_id: app.appId,
    ...body,
  });
}

describe("templates", () => {
  it("creates push, email and SMS templates, answering non-applicable content as null", async () => {
    const push = await create({
      name: "Welcome",
      contents: { en: "Hi", fr: "Salut" },
      headings: { en: "Welcome" },
      data: { screen: "home" },
      big_picture: "https://example.com/a.png",
      buttons: [{ id: "open", text: "Open" }],
    });
    expect(push.status).toBe(200);
    expect(push.body).toMatchObject({ name: "Welcome", channel: "push" });
    expect(push.body.content).toMatchObject({
      isEmail: false,
      isSMS: false,
      contents: { en: "Hi", fr: "Salut" },
      data: { screen: "home" },
      email_subject: null,
      sms_from: null,
    });
    const email = await create({ name: "Digest", isEmail: true, email_subject: "News", email_body: "<p>Hi</p>" });
    expect(email.body).toMatchObject({ channel: "email", content: { email_subject: "News", contents: null } });
    const sms = await create({ name: "Code", isSMS: true, contents: { en: "Your code" }, sms_from: "+15555550100" });
    expect(sms.body).toMatchObject({
      channel: "sms",
      content: { sms_from: "+15555550100", contents: { en: "Your code" } },
    });
  });

  it("refuses content without English, an email without a body, and too many buttons", async () => {
    expect((await create({ name: "x", contents: { fr: "Salut" } })).body).toEqual({
      success: false,
      errors: ["'contents' Message must have English language content"],
    });
    expect((await create({ name: "x", isEmail: true, email_subject: "s" })).body).toEqual({
      success: false,
      errors: ["'message' Email body can not be blank"],
    });
    const buttons = [1, 2, 3, 4].map((n) => ({ id: `b${n}`, text: "b" }));
    expect((await create({ name: "x", contents: { en: "a" }, buttons })).body.errors).toEqual([
      "'buttons' At most 3 buttons",
    ]);
    expect((await create({ contents: { en: "a" } })).status).toBe(400);
  });

  it("views, updates in place, and answers an empty PATCH with the HTML 422", async () => {
    const { body } = await create({ name: "Welcome", contents: { en: "Hi" } });
    const path = `/templates/${body.id}?app_id=${app.appId}`;
    const updated = await emulator.api<Template>("PATCH", path, app.appKey, {
      name: "Hello",
      contents: { en: "Hello" },
    });
    expect(updated.body).toMatchObject({ name: "Hello", content: { contents: { en: "Hello" } } });
    expect((await emulator.api<Template>("GET", path, app.appKey)).body.name).toBe("Hello");
    const empty = await fetch(`${emulator.url}${path}`, {
      method: "PATCH",
      headers: { authorization: `Key ${app.appKey}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(empty.status).toBe(422);
    expect(empty.headers.get("content-type")).toContain("text/html");
    expect(await empty.text()).toContain("The change you wanted was rejected (422)");
  });

  it("refuses an update without a name, as the docs' OpenAPI and the Update template page require one", async () => {
    const { body } = await create({ name: "Welcome", contents: { en: "Hi" } });
    const path = `/templates/${body.id}?app_id=${app.appId}`;
    expect(await emulator.api("PATCH", path, app.appKey, { contents: { en: "Hello" } })).toEqual({
      status: 400,
      body: { success: false, errors: ["'name' Name can not be blank"] },
    });
    const unchanged = await emulator.api<Template>("GET", path, app.appKey);
    expect(unchanged.body).toMatchObject({ name: "Welcome", content: { contents: { en: "Hi" } } });
  });

  it("lists with limit 1 to 50, offset, channel and total_count", async () => {
    await create({ name: "a", contents: { en: "a" } });
    await create({ name: "b", contents: { en: "b" } });
    await create({ name: "c", isEmail: true, email_subject: "s", email_body: "b" });
    const page = await emulator.api<{ total_count: number; templates: { name: string }[] }>(
      "GET",
      `/templates?app_id=${app.appId}&limit=1&offset=1&channel=push`,
      app.appKey,
    );
    expect(page.body.total_count).toBe(2);
    expect(page.body.templates.map((template) => template.name)).toEqual(["b"]);
    expect(await emulator.api("GET", `/templates?app_id=${app.appId}&limit=51`, app.appKey)).toEqual({
      status: 400,
      body: { errors: ["Invalid limit, must be within 1 to 50"] },
    });
  });

  it("deletes, 404s a missing template, copies to another app with the organization key", async () => {
    const { body } = await create({ name: "Welcome", contents: { en: "Hi" } });
    const other = await createAppWithKey(emulator, "other");
    const copy = await emulator.api<Template>(
      "POST",
      `/templates/${body.id}/copy_to_app?app_id=${app.appId}`,
      emulator.organizationApiKey,
      { target_app_id: other.appId },
    );
    expect(copy.body).toMatchObject({ name: "Welcome", channel: "push" });
    expect((await emulator.api("GET", `/templates/${copy.body.id}?app_id=${other.appId}`, other.appKey)).status).toBe(
      200,
    );
    expect(
      (
        await emulator.api("POST", `/templates/${body.id}/copy_to_app?app_id=${app.appId}`, app.appKey, {
          target_app_id: other.appId,
        })
      ).status,
    ).toBe(403);
    // Never onto its own app, as the reference page says.
    expect(
      await emulator.api("POST", `/templates/${body.id}/copy_to_app?app_id=${app.appId}`, emulator.organizationApiKey, {
        target_app_id: app.appId,
      }),
    ).toEqual({ status: 400, body: { success: false, errors: ["target_app_id cannot be the same as the app_id"] } });
    const path = `/templates/${body.id}?app_id=${app.appId}`;
    expect(await emulator.api("DELETE", path, app.appKey)).toEqual({ status: 200, body: { success: true } });
    expect(await emulator.api("DELETE", path, app.appKey)).toEqual({
      status: 404,
      body: { errors: ["template not found"] },
    });
  });

  it("takes only that app's API keys", async () => {
    const { body } = await create({ name: "Welcome", contents: { en: "Hi" } });
    const other = await createAppWithKey(emulator, "other");
    expect((await emulator.api("GET", `/templates/${body.id}?app_id=${app.appId}`, other.appKey)).status).toBe(403);
    expect((await emulator.api("GET", `/templates/${body.id}?app_id=${other.appId}`, other.appKey)).status).toBe(404);
  });
});
