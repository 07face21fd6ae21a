// A run always ends soon after SIGINT/SIGTERM: the first signal aborts, and if the run has not
// wound down within the grace period (or a second signal comes) the process exits with 130.
// Signals are delivered with process.emit, so the test process itself is never signalled.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { listenForStop, STOP_GRACE_MS } from '../../src/cli/stop-signal.js';

function listen(graceMs: number) {
  const exits: [number, string][] = [];
  const stop = listenForStop({ graceMs, forceExit: (code, why) => void exits.push([code, why]) });
  onTestFinished(() => stop.dispose());
  return { stop, exits };
}

describe('listenForStop', () => {
  it('aborts on the first signal and forces exit 130 once the grace period is over', async () => {
    const { stop, exits } = listen(100);
    process.emit('SIGTERM', 'SIGTERM');
    expect(stop.signal.aborted).toBe(true);
    expect(stop.received()).toBe('SIGTERM');
    expect(exits).toEqual([]);
    await sleep(300);
    expect(exits).toEqual([[130, 'stopped by SIGTERM; work still in flight after 100 ms was abandoned (outputs are never half-written)']]);
  });

  it('a second signal forces exit 130 at once', () => {
    const { stop, exits } = listen(60_000);
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    expect(stop.received()).toBe('SIGINT');
    expect(exits).toEqual([[130, 'stopped by a second SIGINT']]);
  });

  it('leaves room within the 2 s a stopped run may take', () => {
    expect(STOP_GRACE_MS).toBeLessThanOrEqual(1500);
  });
});
