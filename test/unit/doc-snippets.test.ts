import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/processes";

// Every TypeScript example of the README and docs/ compiles as a file of a Pulumi TypeScript program
// (CommonJS, strict), against this package: a snippet that stops compiling is a README that lies.
const DOCS = [
  "README.md",
  ...readdirSync(path.join(ROOT, "docs"))
    .filter((file) => file.endsWith(".md"))
    .map((file) => `docs/${file}`),
  ...readdirSync(path.join(ROOT, "examples")).map((example) => `examples/${example}/README.md`),
].filter((file) => {
  try {
    readFileSync(path.join(ROOT, file));
    return true;
  } catch {
    return false;
  }
});

/** Names the examples use without declaring them, as the text around them says what they are. */
const CONTEXT: Record<string, string> = {
  app: 'declare const app: import("pulumi-onesignal").App;',
  key: 'declare const key: import("pulumi-onesignal").ApiKey;',
  appId: "declare const appId: string;",
  fcmToken: "declare const fcmToken: string;",
  crmDevices: 'declare const crmDevices: import("pulumi-onesignal").DeviceUpsert[];',
  pulumi: 'import * as pulumi from "@pulumi/pulumi";',
};

interface Snippet {
  where: string;
  file: string;
  source: string;
}

function snippets(): Snippet[] {
  const found: Snippet[] = [];
  for (const doc of DOCS) {
    const text = readFileSync(path.join(ROOT, doc), "utf8");
    for (const match of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
      const code = match[1] ?? "";
      const line = text.slice(0, match.index).split("\n").length + 1;
      const declared = (name: string) =>
        new RegExp(`(const|let|function|class)\\s+${name}\\b|import[^;]*\\b${name}\\b[^;]*from`).test(code);
      const context = Object.entries(CONTEXT)
        .filter(([name]) => new RegExp(`\\b${name}\\b`).test(code) && !declared(name))
        .map(([, declaration]) => declaration);
      const file = path.join(ROOT, "test", "unit", "__snippets__", `${doc.replace(/[/.]/g, "_")}_${line}.ts`);
      // `export {}` makes each snippet a module of its own, as a program's file is.
      found.push({ where: `${doc}:${line}`, file, source: `${context.join("\n")}\n${code}\nexport {};\n` });
    }
  }
  return found;
}

describe("the TypeScript examples of the README and docs/", () => {
  const all = snippets();

  it("are there to check", () => {
    expect(all.length).toBeGreaterThanOrEqual(10);
  });

  it("each compile as a file of a Pulumi program (CommonJS, strict)", () => {
    const options: ts.CompilerOptions = {
      strict: true,
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      types: ["node"],
      baseUrl: ROOT,
      paths: { "pulumi-onesignal": ["provider/index.ts"], "pulumi-onesignal/emulator": ["emulator/index.ts"] },
    };
    const byFile = new Map(all.map((snippet) => [snippet.file, snippet]));
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.getSourceFile = (name, version, ...rest) => {
      const snippet = byFile.get(name);
      return snippet
        ? ts.createSourceFile(name, snippet.source, version)
        : getSourceFile.call(host, name, version, ...rest);
    };
    host.fileExists = (name) => byFile.has(name) || fileExists.call(host, name);
    host.readFile = (name) => byFile.get(name)?.source ?? readFile.call(host, name);
    const program = ts.createProgram([...byFile.keys()], options, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file && byFile.has(diagnostic.file.fileName))
      .map((diagnostic) => {
        const snippet = byFile.get(diagnostic.file?.fileName ?? "") as Snippet;
        return `${snippet.where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
      });
    expect(problems).toEqual([]);
  });
});
