/**
 * Renders the README's list of the emulator's divergences from OneSignal out of the audit table in
 * docs/api-fidelity.md, its one source: the list sits between two markers in README.md.
 *
 *   npm run -s docs:divergences             rewrite the list in README.md
 *   npm run -s docs:divergences -- --check  exit 1 when README.md's list differs from the table
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
/** The audit: routes, sources, divergences. */
export const FIDELITY_FILE = path.join(ROOT, "docs", "api-fidelity.md");
/** The front page, whose list of divergences is rendered here. */
export const README_FILE = path.join(ROOT, "README.md");

const BEGIN = "<!-- divergences:begin (rendered from docs/api-fidelity.md by npm run -s docs:divergences) -->";
const END = "<!-- divergences:end -->";

/** The rows of the first table under a `## heading` of a markdown page, as trimmed cells, header left out. */
export function tableRows(markdown: string, heading: string): string[][] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => line.trim() === `## ${heading}`);
  if (start === -1) throw new Error(`no "## ${heading}" section`);
  const rows: string[][] = [];
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("## ")) break;
    if (!line.startsWith("|")) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    rows.push(splitRow(line));
  }
  // The header and the line under it.
  return rows.slice(2);
}

/** The cells of a table row; `\|` inside a cell is a literal bar. */
function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, "")
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** One divergence of the audit table. */
export interface Divergence {
  id: string;
  route: string;
  divergence: string;
  why: string;
}

/** The divergences of the audit, in their order. */
export function divergences(fidelity: string): Divergence[] {
  return tableRows(fidelity, "Divergences").map(([id = "", route = "", divergence = "", why = ""]) => ({
    id,
    route,
    divergence,
    why,
  }));
}

/** The README block: the markers, and one line per divergence, folded so the front page stays short. */
export function renderDivergenceList(fidelity: string): string {
  const list = divergences(fidelity);
  const lines = list.map(({ id, route, divergence }) => `- ${id} (${route}): ${divergence}`);
  return [
    BEGIN,
    "<details>",
    `<summary>${list.length} known divergences, each with its reason in <a href="docs/api-fidelity.md#divergences">docs/api-fidelity.md</a></summary>`,
    "",
    ...lines,
    "",
    "</details>",
    END,
  ].join("\n");
}

/** The README with its list replaced by `block`; an error when the markers are missing. */
export function withDivergenceList(readme: string, block: string): string {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin === -1 || end === -1 || end < begin) throw new Error(`README.md has no ${BEGIN} ... ${END} block`);
  return readme.slice(0, begin) + block + readme.slice(end + END.length);
}

if (require.main === module) {
  const readme = readFileSync(README_FILE, "utf8");
  const rendered = withDivergenceList(readme, renderDivergenceList(readFileSync(FIDELITY_FILE, "utf8")));
  if (process.argv.includes("--check")) {
    if (rendered !== readme) {
      process.stderr.write(
        "README.md's divergences differ from docs/api-fidelity.md: run `npm run -s docs:divergences`.\n",
      );
      process.exit(1);
    }
    process.stdout.write("README.md's divergences match docs/api-fidelity.md.\n");
  } else {
    writeFileSync(README_FILE, rendered);
    process.stdout.write("wrote the divergences of README.md\n");
  }
}
