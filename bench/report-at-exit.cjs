// Preloaded into a command the benchmarks run as it is (the pulumi-onesignal CLI): at exit, writes the process's
// wall time since its start, CPU time and peak memory to the file BENCH_REPORT names, with when its work ran.
const { subscribe, unsubscribe } = require("node:diagnostics_channel");
const { writeFileSync } = require("node:fs");

// The command's work starts with its first request (the client's requests go through node:http): what several
// processes at once are measured over, without the time each takes to load.
let firstRequestAt;
function onRequest() {
  firstRequestAt = Date.now();
  unsubscribe("http.client.request.start", onRequest);
}
subscribe("http.client.request.start", onRequest);

process.on("exit", () => {
  const cpu = process.cpuUsage();
  writeFileSync(
    process.env.BENCH_REPORT,
    JSON.stringify({
      seconds: performance.now() / 1000,
      // A command is timed as a whole: its work is the process.
      workSeconds: performance.now() / 1000,
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      startedAt: firstRequestAt ?? performance.timeOrigin,
      endedAt: Date.now(),
    }),
  );
});
