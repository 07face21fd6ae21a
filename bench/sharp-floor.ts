// The local floor: sharp alone fitting the very images the fake API returns to the same boxes,
// with the same options (the project's fitImage: attention crop, 144 dpi, JPEG q80) and as many
// at once as the CLI's CPU limiter allows. No HTTP, base64, cache, zip or process start-up: what is
// left when everything but the image work is taken away. Measured inside the benchmark process,
// so it excludes the start-up a child pays: the ratio against it is the stricter one.
import { fitImage } from '../src/images/fit-image.js';
import os from 'node:os';
import { createLimiters } from '../src/internal/limiters.js';
import { foreignCpuMs, sampleCpu, waitForQuiet } from './machine.js';

export interface FloorJob {
  image: Buffer;
  boxCx: number;
  boxCy: number;
}

export interface FloorResult {
  wallMs: number;
  /** CPU of the benchmark process meanwhile (all threads; it does nothing else then). */
  cpuMs: number;
  /** Encoded bytes of all the fitted pictures. */
  bytes: number;
  /** CPU other processes used meanwhile, as a share of all cores' time. */
  foreignShare: number;
}

// Fits every job under a CPU limiter of the CLI's size (min(4, cores)).
export async function sharpFloor(jobs: FloorJob[]): Promise<FloorResult> {
  const { cpu } = createLimiters({ llm: 1, image: 1 });
  await waitForQuiet();
  const machineBefore = sampleCpu();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const sizes = await Promise.all(
    jobs.map((j) => cpu(async () => (await fitImage(j.image, { boxCx: j.boxCx, boxCy: j.boxCy, crop: 'cover' })).data.length)),
  );
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpuBefore);
  const cpuMs = (used.user + used.system) / 1000;
  const foreign = foreignCpuMs(machineBefore, sampleCpu(), wallMs, cpuMs);
  return { wallMs, cpuMs, bytes: sizes.reduce((a, b) => a + b, 0), foreignShare: foreign / (os.cpus().length * wallMs) };
}
