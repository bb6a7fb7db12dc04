import { describe, expect, it } from "vitest";
import { FlowWindow } from "../../provider/client/flow-window";

/** Enters `count` requests at once; resolves to how many got in before anything left. */
async function enterMany(flow: FlowWindow, count: number): Promise<{ entered: () => number; all: Promise<unknown[]> }> {
  let entered = 0;
  const all = Promise.all(
    Array.from({ length: count }, async () => {
      await flow.enter();
      entered += 1;
    }),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return { entered: () => entered, all };
}

describe("FlowWindow: how many requests of a client go at once", () => {
  it("is unlimited until the first 429", async () => {
    const flow = new FlowWindow();
    const { entered } = await enterMany(flow, 500);
    expect(entered()).toBe(500);
    expect(flow.size).toBe(Number.POSITIVE_INFINITY);
  });

  it("a 429 cuts it to three quarters of what was in flight; a place freed lets the next one in", async () => {
    const flow = new FlowWindow();
    await enterMany(flow, 40);
    flow.rateLimited(0, 10);
    expect(flow.size).toBe(30);
    for (let left = 0; left < 40; left++) flow.leave();
    const { entered } = await enterMany(flow, 50);
    expect(entered()).toBe(30);
    flow.leave();
    await new Promise((resolve) => setImmediate(resolve));
    expect(entered()).toBe(31);
  });

  it("the 429s of one burst cut it once: only a request sent after the cut cuts again", () => {
    const flow = new FlowWindow();
    for (let index = 0; index < 40; index++) void flow.enter();
    flow.rateLimited(5, 100);
    flow.rateLimited(50, 101);
    flow.rateLimited(99, 102);
    expect(flow.size).toBe(30);
    flow.rateLimited(100, 150);
    expect(flow.size).toBe(22);
  });

  it("widens by one after a window's worth of accepted answers, and never below one", async () => {
    const flow = new FlowWindow();
    void flow.enter();
    void flow.enter();
    flow.rateLimited(0, 1);
    expect(flow.size).toBe(1);
    flow.rateLimited(2, 3);
    expect(flow.size).toBe(1);
    flow.accepted();
    expect(flow.size).toBe(2);
    flow.accepted();
    expect(flow.size).toBe(2);
    flow.accepted();
    expect(flow.size).toBe(3);
  });
});
