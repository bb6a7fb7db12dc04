// Preloaded into a command the benchmarks run as it is (the pulumi-onesignal CLI): at exit, writes the process's
// wall time since its start, CPU time and peak memory to the file BENCH_REPORT names.
const { writeFileSync } = require("node:fs");
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
    }),
  );
});
