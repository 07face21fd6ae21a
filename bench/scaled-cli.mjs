// The CLI with a shorter rate-limit window, for the time-scaled rpm case: the same main() that
// bin/slide-illustrate.js runs, given the HttpOverrides hook the tests use to shrink the minute.
// $BENCH_RATE_WINDOW_MS is the window (60000 / time scale). Nothing else differs from the bin.
import { main } from '../dist/cli.bundle.js';

const rateWindowMs = Number(process.env.BENCH_RATE_WINDOW_MS);
if (!Number.isFinite(rateWindowMs) || rateWindowMs <= 0)
  throw new Error('BENCH_RATE_WINDOW_MS: expected a positive number of milliseconds');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  http: { rateWindowMs },
});
