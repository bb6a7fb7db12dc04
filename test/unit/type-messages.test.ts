import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/processes";

// What the compiler says to a user who gets a notification or a template wrong: it should name the
// missing or misplaced content, not an unrelated member of the union.
const FILE = path.join(ROOT, "test", "unit", "__type-messages__.ts");
const SNIPPETS = {
  pushWithoutContent: `sendNotification({ appId: "a", includedSegments: ["A"], headings: { en: "x" } });`,
  pushWithoutEnglish: `sendNotification({ appId: "a", includedSegments: ["A"], contents: { fr: "x" } });`,
  emailWithoutSubject: `sendNotification({ appId: "a", emailTo: ["a@example.com"], emailBody: "x" });`,
  pushTemplateWithSubject: `new Template("t", { appId: "a", name: "t", channel: "push", contents: { en: "x" }, emailSubject: "s" });`,
  smsTemplateWithoutEnglish: `new Template("t", { appId: "a", name: "t", channel: "sms", contents: { fr: "x" } });`,
  emailTemplateWithoutBody: `new Template("t", { appId: "a", name: "t", channel: "email", emailSubject: "s" });`,
  validTemplates: `new Template("p", { appId: "a", name: "p", channel: "push", contents: { en: "x" }, headings: { en: "h" } });
new Template("e", { appId: "a", name: "e", channel: "email", emailSubject: "s", emailBody: "<p>b</p>" });
new Template("s", { appId: "a", name: "s", channel: "sms", contents: { en: "x" }, smsFrom: "+15555550100" });`,
};

/** The compiler's messages for each snippet (an empty list when it compiles). */
function messages(): Record<keyof typeof SNIPPETS, string[]> {
  const lines = ['import { sendNotification, Template } from "../../provider/index";'];
  const ranges: [keyof typeof SNIPPETS, number, number][] = [];
  for (const [name, code] of Object.entries(SNIPPETS) as [keyof typeof SNIPPETS, string][]) {
    const start = lines.length;
    lines.push(...`void (() => { ${code} });`.split("\n"));
    ranges.push([name, start, lines.length - 1]);
  }
  const source = lines.join("\n");
  const options: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    resolveJsonModule: true,
    types: ["node"],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, version, ...rest) =>
    name === FILE ? ts.createSourceFile(name, source, version) : getSourceFile.call(host, name, version, ...rest);
  host.fileExists = (name) => name === FILE || fileExists.call(host, name);
  host.readFile = (name) => (name === FILE ? source : readFile.call(host, name));
  const program = ts.createProgram([FILE], options, host);
  const result = Object.fromEntries(ranges.map(([name]) => [name, [] as string[]])) as Record<
    keyof typeof SNIPPETS,
    string[]
  >;
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    if (diagnostic.file?.fileName !== FILE || diagnostic.start === undefined) continue;
    const line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line;
    const range = ranges.find(([, start, end]) => line >= start && line <= end);
    if (range) result[range[0]].push(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
  }
  return result;
}

describe("the compiler's messages for content that is wrong for its channel", () => {
  const said = messages();

  it("a push without content, or without English, is told about contents", () => {
    expect(said.pushWithoutContent.join("\n")).toContain("Property 'contents' is missing");
    expect(said.pushWithoutContent.join("\n")).not.toContain("'templateId' is missing");
    expect(said.pushWithoutEnglish.join("\n")).toContain("Property 'en' is missing in type '{ fr: string; }'");
  });

  it("an email without a subject is told about the subject", () => {
    expect(said.emailWithoutSubject.join("\n")).toContain("Property 'emailSubject' is missing");
  });

  it("a template's channel decides its content fields", () => {
    expect(said.pushTemplateWithSubject.join("\n")).toMatch(/emailSubject/);
    expect(said.smsTemplateWithoutEnglish.join("\n")).toContain("Property 'en' is missing");
    expect(said.emailTemplateWithoutBody.join("\n")).toContain("Property 'emailBody' is missing");
    expect(said.validTemplates).toEqual([]);
  });
});
