// FIFOs for hang tests, made under a test's temp folder (never a real device path).
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { onTestFinished } from 'vitest';

// Makes a FIFO at `file`. Should a reader still be blocked in open() (the bug under test), a writer
// opening it at the end of the test lets that reader go.
export function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
  onTestFinished(() => {
    try {
      closeSync(openSync(file, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // ENXIO: nobody is waiting on it, as it should be.
    }
  });
}
