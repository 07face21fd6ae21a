// A pid that belonged to a process which has exited: what a crashed owner leaves in a lock or temp name.
import { execFileSync } from 'node:child_process';

export function deadPid(): number {
  return Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
}
