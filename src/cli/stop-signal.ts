// SIGINT and SIGTERM as an AbortSignal: the first one stops new work and aborts what is in flight.
// A run always ends soon after: if winding down takes longer than the grace period (something
// that does not listen to the abort), or a second signal comes, the process exits with 130 at
// once. Outputs are written through a temp file and a rename, so even then none is half-written.
export interface StopSignal {
  signal: AbortSignal;
  /** The signal received, once one was. */
  received(): NodeJS.Signals | undefined;
  dispose(): void;
}

export interface StopOptions {
  /** How long the run may take to wind down after the first signal (ms). */
  graceMs?: number;
  /** Ends the process when the grace period is over (tests replace it). */
  forceExit?: (code: number, why: string) => void;
}

/** Leaves room under the 2 s a stopped run may take, for the exit itself. */
export const STOP_GRACE_MS = 1500;

const exitNow = (code: number, why: string) => {
  process.stderr.write(`slide-illustrate: ${why}\n`);
  process.exit(code);
};

// Listens for SIGINT/SIGTERM until disposed.
export function listenForStop(options: StopOptions = {}): StopSignal {
  const { graceMs = STOP_GRACE_MS, forceExit = exitNow } = options;
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stop = (sig: NodeJS.Signals) => {
    if (received) return forceExit(130, `stopped by a second ${sig}`);
    received = sig;
    controller.abort(new Error(`stopped by ${sig}`));
    // unref: a run that winds down in time exits normally, with its own summary and code.
    timer = setTimeout(
      () => forceExit(130, `stopped by ${sig}; work still in flight after ${graceMs} ms was abandoned (outputs are never half-written)`),
      graceMs,
    );
    timer.unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return {
    signal: controller.signal,
    received: () => received,
    dispose() {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // The run is over: the grace timer stays armed only until the process exits on its own.
    },
  };
}
