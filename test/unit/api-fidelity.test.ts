import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { apiRoutes } from "../../emulator/server";
import * as apiKeys from "../../provider/client/api-keys";
import * as apps from "../../provider/client/apps";
import * as devices from "../../provider/client/devices";
import * as exportsClient from "../../provider/client/exports";
import * as notifications from "../../provider/client/notifications";
import * as segments from "../../provider/client/segments";
import * as templates from "../../provider/client/templates";
import * as users from "../../provider/client/users";
import {
  divergences,
  FIDELITY_FILE,
  README_FILE,
  renderDivergenceList,
  tableRows,
  withDivergenceList,
} from "../../scripts/divergences";

// docs/api-fidelity.md is the audit of the emulator and the client against OneSignal's documentation; these
// checks keep it true to the code, so that neither can change without the other.

const ROOT = path.resolve(__dirname, "../..");
const fidelity = readFileSync(FIDELITY_FILE, "utf8");
const rows = tableRows(fidelity, "Routes").map(
  ([route = "", parameter = "", documented = "", emulator = "", client = ""]) => ({
    route: route.replace(/`/g, ""),
    parameter,
    documented,
    emulator,
    client,
  }),
);
const served = apiRoutes({ exports: new Map(), delayMs: 0 });

/** `GET /apps/{app_id}` and `GET /apps/:app_id` alike, whatever the parameters are named. */
function shape(route: string): string {
  return route.replace(/\{[^}]+\}|:[a-z_]+/g, "{}");
}

function rowsOf(method: string, pattern: string) {
  return rows.filter((row) => shape(row.route) === shape(`${method} ${pattern}`));
}

/** The `?name` query parameters a parameter cell names. */
function queryParameters(cell: string): string[] {
  return [...cell.matchAll(/`\?([\w-]+)`/g)].map((match) => match[1] as string);
}

function sourceFiles(directory: string): string[] {
  return readdirSync(path.join(ROOT, directory), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => path.join(directory, file));
}

describe("docs/api-fidelity.md against the emulator", () => {
  it("has rows for every route the emulator serves, and for no route it does not", () => {
    const missing = served.filter((route) => rowsOf(route.method, route.pattern).length === 0);
    expect(missing.map((route) => `${route.method} ${route.pattern}`)).toEqual([]);
    const unknown = rows.filter(
      (row) => !served.some((route) => shape(`${route.method} ${route.pattern}`) === shape(row.route)),
    );
    expect(unknown.map((row) => row.route)).toEqual([]);
  });

  it("lists each query parameter a route honours as honoured, and each it refuses as refused", () => {
    const problems: string[] = [];
    for (const route of served) {
      const routeRows = rowsOf(route.method, route.pattern);
      const verdicts = (name: string) =>
        routeRows.filter((row) => queryParameters(row.parameter).includes(name)).map((row) => row.emulator);
      for (const name of route.query ?? []) {
        if (!verdicts(name).some((verdict) => verdict.startsWith("honoured")))
          problems.push(`${route.method} ${route.pattern} ?${name}: not listed as honoured`);
      }
      for (const name of route.notEmulated ?? []) {
        if (!verdicts(name).some((verdict) => verdict.startsWith("refused as not emulated")))
          problems.push(`${route.method} ${route.pattern} ?${name}: not listed as refused`);
      }
      const known = [...(route.query ?? []), ...(route.notEmulated ?? [])];
      for (const row of routeRows) {
        for (const name of queryParameters(row.parameter)) {
          if (!known.includes(name)) problems.push(`${row.route} ?${name}: listed, but the route does not know it`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("names every call the client makes", () => {
    const areas = { apiKeys, apps, devices, exportsClient, notifications, segments, templates, users };
    const calls = Object.values(areas).flatMap((area) =>
      Object.entries(area)
        .filter(([, value]) => typeof value === "function")
        .map(([name]) => name),
    );
    expect(calls.length).toBeGreaterThan(30);
    const named = new Set(rows.flatMap((row) => [...row.client.matchAll(/`(\w+)`/g)].map((match) => match[1])));
    expect(calls.filter((call) => !named.has(call))).toEqual([]);
  });
});

describe("the divergences", () => {
  const listed = divergences(fidelity);
  const ids = listed.map((entry) => entry.id);

  it("each has an id, a route, what differs and why", () => {
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    for (const entry of listed) {
      expect(entry.id).toMatch(/^D\d{2}$/);
      expect(entry.route, entry.id).not.toBe("");
      expect(entry.divergence, entry.id).not.toBe("");
      expect(entry.why, entry.id).not.toBe("");
    }
  });

  it("are the same set as the ((emulator: Dnn ...)) comments in the code, each comment with an id", () => {
    const marked = new Set<string>();
    const unnumbered: string[] = [];
    for (const file of [...sourceFiles("emulator"), ...sourceFiles("provider")]) {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      for (const match of text.matchAll(/\(\(emulator:(.{0,5})/g)) {
        const id = /^ (D\d{2})\b/.exec(match[1] as string)?.[1];
        if (id) marked.add(id);
        else unnumbered.push(file);
      }
    }
    expect(unnumbered).toEqual([]);
    expect([...marked].sort()).toEqual([...ids].sort());
  });

  it("are the only ones the route table refers to", () => {
    const referred = new Set(
      rows.flatMap((row) => [...row.emulator.matchAll(/\b(D\d{2})\b/g)].map((match) => match[1])),
    );
    expect([...referred].filter((id) => !ids.includes(id as string))).toEqual([]);
  });

  it("are the README's list, rendered from the table", () => {
    const readme = readFileSync(README_FILE, "utf8");
    const block = renderDivergenceList(fidelity);
    expect(withDivergenceList(readme, block)).toBe(readme);
    for (const id of ids) expect(block).toContain(`- ${id} (`);
  });

  it("npm run -s docs:divergences -- --check agrees", () => {
    const run = spawnSync("npm", ["run", "-s", "docs:divergences", "--", "--check"], { cwd: ROOT, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("README.md's divergences match docs/api-fidelity.md.\n");
    expect(run.status).toBe(0);
  });

  it("renders a table into a list, and refuses a README without its markers", () => {
    const table = [
      "## Divergences",
      "",
      "| id | route | divergence | why |",
      "| --- | --- | --- | --- |",
      "| D01 | `GET /x` | It differs. | Because. |",
    ].join("\n");
    expect(renderDivergenceList(table)).toContain("- D01 (`GET /x`): It differs.");
    expect(() => withDivergenceList("# no markers", "")).toThrow(/has no/);
  });
});
