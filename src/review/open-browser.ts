// Opens a URL in the person's browser when the system says how (xdg-open, open, start); never
// fails the command: without a browser the printed URL is what the person opens.
import { spawn } from 'node:child_process';

/** The command that opens a URL on this platform. */
export function openerFor(platform: NodeJS.Platform, url: string): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url] };
  return { command: 'xdg-open', args: [url] };
}

// Resolves true once the opener started, false when it could not (not installed, no display…).
export function openBrowser(url: string, options: { platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv } = {}): Promise<boolean> {
  const { command, args } = openerFor(options.platform ?? process.platform, url);
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args, { detached: true, stdio: 'ignore', env: options.env ?? process.env });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
