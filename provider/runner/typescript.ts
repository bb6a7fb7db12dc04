/**
 * Loading a TypeScript program as Pulumi's Node.js language host does, through the SDK's vendored ts-node:
 * the one SDK internal the runner leans on, in one place. scripts/ts-register.cjs names the same vendored
 * copy (it must run before any TypeScript loads); test/unit/third-party-internals.test.ts holds both to the
 * installed SDK, so a release that moves it fails loudly.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";

/** The ts-node and TypeScript that `@pulumi/pulumi` 3.248 vendors, under its `vendor/`. */
export const VENDORED = { tsNode: "ts-node@7.0.1", typescript: "typescript@3.8.3" } as const;

/** The directory of a vendored package in the SDK at `sdkDir`; throws, naming it, where the SDK has none. */
export function vendored(sdkDir: string, name: keyof typeof VENDORED): string {
  const dir = path.join(sdkDir, "vendor", VENDORED[name]);
  if (!existsSync(dir)) {
    throw new Error(
      `${sdkDir} has no vendor/${VENDORED[name]}: pulumi-onesignal runs TypeScript programs with the one @pulumi/pulumi 3.248 vendors`,
    );
  }
  return dir;
}

/**
 * Lets `require` load the TypeScript program of `projectDir`: transpile only, with the project's own
 * `typescript` (else the SDK's vendored one), unless a loader is registered already.
 */
export function registerTypeScript(projectDir: string): void {
  if (require.extensions[".ts"]) return;
  const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [projectDir, __dirname] }));
  let compiler: string;
  try {
    compiler = require.resolve("typescript", { paths: [projectDir] });
  } catch {
    compiler = require.resolve(vendored(sdk, "typescript"));
  }
  const tsNode = require(vendored(sdk, "tsNode")) as { register(options: object): void };
  tsNode.register({
    transpileOnly: true,
    skipProject: true,
    compiler,
    compilerOptions: { module: "commonjs", target: "es2020", moduleResolution: "node", esModuleInterop: true },
  });
}
