import { describe, expect, it } from "vitest";
import { engineMessage } from "../../provider/runner/engine-events";

/** A failed CLI command as the Automation API reports it. */
function failed(stdout: string, stderr: string): Error & { commandResult: { stdout: string; stderr: string } } {
  return Object.assign(new Error("code: 255"), { commandResult: { stdout, stderr } });
}

describe("engineMessage: the CLI's own words from a failed command", () => {
  it("keeps the error lines and drops the progress around them", () => {
    const message = engineMessage(
      failed("Updating (dev):\n  + app creating\n    error: update failed\n", "error: update failed\nwarning: x\n"),
    );
    expect(message).toBe("error: update failed");
  });

  it("keeps the holders a lock error names, one line each, so that a pipeline can tell whether they are gone", () => {
    const stderr = [
      "error: the stack is currently locked by 2 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
      "  postgres://pulumi@127.0.0.1:5432/state/.pulumi/locks/organization/shop/staging/a.json?sslmode=disable: created by root@runner-1 (pid 4242) at 2026-01-02T03:04:05Z",
      "  file:///state/.pulumi/locks/organization/shop/staging/b.json: created by ci@runner-2 (pid 17) at 2026-01-02T03:04:06+01:00",
      "",
    ].join("\n");
    expect(engineMessage(failed("", stderr)).split("\n")).toEqual([
      "error: the stack is currently locked by 2 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
      "  postgres://pulumi@127.0.0.1:5432/state/.pulumi/locks/organization/shop/staging/a.json?sslmode=disable: created by root@runner-1 (pid 4242) at 2026-01-02T03:04:05Z",
      "  file:///state/.pulumi/locks/organization/shop/staging/b.json: created by ci@runner-2 (pid 17) at 2026-01-02T03:04:06+01:00",
    ]);
  });

  it("keeps an error that is no command's as it is", () => {
    expect(engineMessage(new Error("no Pulumi.yaml"))).toBe("no Pulumi.yaml");
  });
});
