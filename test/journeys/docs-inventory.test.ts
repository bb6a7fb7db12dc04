import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { allShellBlocks, documents, JOURNEYS, journeyBlocks, shellBlocks } from "../support/journeys";
import { ROOT } from "../support/processes";

describe("the docs' shell blocks", () => {
  it("finds the blocks of README.md, every docs/ page and every example's README, indented ones too", () => {
    const files = documents();
    expect(files).toContain("README.md");
    expect(files).toContain("docs/cli.md");
    expect(files).toContain("examples/quickstart/README.md");
    // The plugin page's archive block sits inside a numbered list.
    const indented = shellBlocks("docs/provider-plugin.md").find((block) => block.text.includes("plugin:archive"));
    expect(indented?.text.startsWith("npm run -s plugin:archive")).toBe(true);
  });

  it("each is run by a journey of this tier, or listed with the reason it cannot run here", () => {
    const unmarked = allShellBlocks()
      .filter((block) => !block.marker)
      .map((block) => `${block.file}:${block.line}`);
    expect(unmarked, "add <!-- journey: NAME --> or <!-- not run: REASON --> before each").toEqual([]);
    const unknown = allShellBlocks().flatMap((block) =>
      block.marker && "journeys" in block.marker
        ? block.marker.journeys
            .filter((name) => !(name in JOURNEYS))
            .map((name) => `${block.file}:${block.line} ${name}`)
        : [],
    );
    expect(unknown).toEqual([]);
    for (const block of allShellBlocks()) {
      if (block.marker && "notRun" in block.marker) expect(block.marker.notRun.length).toBeGreaterThan(20);
    }
  });

  it("every journey has blocks to run (a journey whose blocks were all removed would prove nothing)", () => {
    for (const name of Object.keys(JOURNEYS) as (keyof typeof JOURNEYS)[]) {
      expect(journeyBlocks(name).length, name).toBeGreaterThan(0);
    }
  });
});

describe("the package page", () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;

  it("names the repository, the home page and where to report bugs", () => {
    expect(manifest.repository).toMatchObject({ type: "git", url: expect.stringMatching(/^git\+https:\/\//) });
    expect(manifest.homepage).toMatch(/^https:\/\//);
    expect(manifest.bugs).toMatchObject({ url: expect.stringMatching(/^https:\/\//) });
  });

  it("every relative link of the shipped README and docs resolves inside the tarball", () => {
    const packed = JSON.parse(
      execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" }),
    ) as { files: { path: string }[] }[];
    const files = new Set(packed[0]?.files.map((file) => file.path));
    const shipped = [...files].filter((file) => file.endsWith(".md"));
    expect(shipped).toContain("README.md");
    expect(shipped).toContain("docs/cli.md");
    const broken: string[] = [];
    for (const doc of shipped) {
      const text = readFileSync(path.join(ROOT, doc), "utf8");
      for (const match of text.matchAll(/\]\(([^)\s]+)\)|href="([^"]+)"/g)) {
        const target = (match[1] ?? match[2] ?? "").split("#")[0] as string;
        if (!target || /^[a-z]+:/.test(target)) continue;
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(doc), target)).replace(/\/$/, "");
        const found = files.has(resolved) || [...files].some((file) => file.startsWith(`${resolved}/`));
        if (!found) broken.push(`${doc} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
    // Only what a user needs: no installed dependencies or state of an example tried in the clone.
    expect([...files].filter((file) => /(^|\/)(node_modules|\.pulumi-state|\.onesignal)(\/|$)/.test(file))).toEqual([]);
  });
});

describe("examples/multi-environment", () => {
  it("its workflow passes every secret its README asks for", () => {
    const readme = readFileSync(path.join(ROOT, "examples/multi-environment/README.md"), "utf8");
    const workflow = readFileSync(path.join(ROOT, "examples/multi-environment/.github/workflows/pulumi.yml"), "utf8");
    const section = readme.slice(readme.indexOf("add these secrets"));
    const asked = [...section.slice(0, section.indexOf("(the workflow passes")).matchAll(/`([A-Z_]+)`/g)].map(
      (match) => match[1],
    );
    expect(asked.length).toBeGreaterThanOrEqual(4);
    for (const name of asked) expect(workflow, name).toContain(`${name}: \${{ secrets.${name} }}`);
  });
});
