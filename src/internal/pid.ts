// Whether a process id belongs to a running process on this machine (for stale locks and temp files).

/** True when `pid` is alive here; a process we may not signal (EPERM) is alive too. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
