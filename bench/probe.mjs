// Preloaded into every measured child (`node --import bench/probe.mjs …`): at exit it writes the
// process's own CPU time and peak RSS to $BENCH_PROBE_FILE. Plain JavaScript, so it adds no loader.
// Peak RSS is VmHWM from /proc/self/status: getrusage's maxrss survives fork+exec on Linux and
// would report the parent's peak when that is higher. With $BENCH_PROBE_TRACE it also samples
// process.memoryUsage() every 100 ms and reports the peaks of the JS heap and of Buffers.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  const peaks = { heapUsed: 0, external: 0, arrayBuffers: 0 };
  const trace = [];
  const started = performance.now();
  if (process.env.BENCH_PROBE_TRACE) {
    setInterval(() => {
      const m = process.memoryUsage();
      for (const k of Object.keys(peaks)) peaks[k] = Math.max(peaks[k], m[k]);
      trace.push([
        Math.round(performance.now() - started),
        Math.round(m.rss / 2 ** 20),
        Math.round(m.heapUsed / 2 ** 20),
        Math.round(m.arrayBuffers / 2 ** 20),
        Math.round(m.heapTotal / 2 ** 20),
      ]);
    }, 100).unref();
  }
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const status = readFileSync('/proc/self/status', 'utf8');
    const hwm = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    const mb = (n) => Math.round(n / 2 ** 20);
    const memory = process.env.BENCH_PROBE_TRACE
      ? { heapUsedMb: mb(peaks.heapUsed), externalMb: mb(peaks.external), arrayBuffersMb: mb(peaks.arrayBuffers), trace }
      : undefined;
    writeFileSync(
      file,
      JSON.stringify({ userMicros: usage.userCPUTime, systemMicros: usage.systemCPUTime, peakRssKb: hwm ? Number(hwm[1]) : null, memory }),
    );
  });
}
