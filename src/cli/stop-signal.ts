// SIGINT and SIGTERM as an AbortSignal: the first one stops new work and aborts what is in flight.
export interface StopSignal {
  signal: AbortSignal;
  /** The signal received, once one was. */
  received(): NodeJS.Signals | undefined;
  dispose(): void;
}

// Listens for SIGINT/SIGTERM until disposed.
export function listenForStop(): StopSignal {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const stop = (sig: NodeJS.Signals) => {
    received ??= sig;
    controller.abort(new Error(`stopped by ${sig}`));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return {
    signal: controller.signal,
    received: () => received,
    dispose() {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}
