/**
 * The e2e tier's set-up: an emulator, and Pulumi projects whose stacks are configured to reach it. A file
 * declares it at the top, so that its helpers can use the emulator, and calls `use()` inside `describeE2E`,
 * so that nothing starts where the tier does not run.
 */

import { afterAll } from "vitest";
import type { TestEmulator } from "./emulator";
import { type ProjectOptions, PulumiProject } from "./pulumi";
import { emulatorHooks, lateEmulator, type UseEmulatorOptions } from "./use-emulator";

/** A project's `env` with no ONESIGNAL_* variables: what reaches the emulator comes from the stack config alone. */
export const NO_ONESIGNAL_ENV = {
  ONESIGNAL_API_URL: "",
  ONESIGNAL_ORGANIZATION_API_KEY: "",
  ONESIGNAL_APP_API_KEY: "",
};

/** Options of {@link EmulatorStacks.project}. */
export interface StackOptions extends ProjectOptions {
  /** Leave `onesignal:organizationApiKey` out of the stack config (to see what a user without one is told). */
  withoutOrganizationKey?: boolean;
}

/** An emulator for an e2e file, and the projects it deploys to it. */
export interface EmulatorStacks {
  /** The running emulator (inside hooks and tests). */
  readonly emulator: TestEmulator;
  /**
   * A project whose stack config reaches the emulator: `onesignal:apiUrl`, and `onesignal:organizationApiKey` as a
   * secret, before the options' own config and secrets; its state is removed after the suite.
   */
  project(options: StackOptions): PulumiProject;
  /**
   * Registers the hooks in the enclosing `describe`: the emulator starts before the suite's own hooks (and with
   * `resetEach` is reset before each test); after the suite, every project's state is removed and the emulator closed.
   */
  use(options?: UseEmulatorOptions): void;
}

/** Declares the emulator and projects of an e2e file; see {@link EmulatorStacks.use}. */
export function emulatorStacks(): EmulatorStacks {
  const running = lateEmulator();
  const { emulator } = running;
  const projects: PulumiProject[] = [];
  return {
    emulator,
    project({ withoutOrganizationKey, ...options }) {
      const project = new PulumiProject({
        ...options,
        config: { "onesignal:apiUrl": emulator.url, ...options.config },
        secrets: {
          ...(withoutOrganizationKey ? {} : { "onesignal:organizationApiKey": emulator.organizationApiKey }),
          ...options.secrets,
        },
      });
      projects.push(project);
      return project;
    },
    use(options = {}) {
      emulatorHooks(running, options);
      afterAll(() => {
        for (const project of projects.splice(0)) project.dispose();
      });
    },
  };
}
