// Opening the page in a browser: the system's opener per platform, and never a failed command.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBrowser, openerFor } from '../../src/review/open-browser.js';
import { tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/run-cli.js';

describe('openerFor', () => {
  it('uses xdg-open on Linux, open on macOS, start on Windows; the URL is one argument', () => {
    const url = 'http://127.0.0.1:4000/s/abc/';
    expect(openerFor('linux', url)).toEqual({ command: 'xdg-open', args: [url] });
    expect(openerFor('darwin', url)).toEqual({ command: 'open', args: [url] });
    expect(openerFor('win32', url)).toEqual({ command: 'cmd', args: ['/c', 'start', '""', url] });
  });
});

describe('openBrowser', () => {
  it('resolves false, without throwing, when no opener can be started', async () => {
    expect(await openBrowser('http://127.0.0.1:1/s/x/', { platform: 'linux', env: { PATH: '/nonexistent' } })).toBe(false);
  });

  it('starts the opener with the URL, detached, and resolves true', async () => {
    const dir = await tempDir();
    const log = path.join(dir, 'opened.txt');
    await writeFile(path.join(dir, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${log}'\n`, { mode: 0o755 });
    const url = 'http://127.0.0.1:1/s/x/';
    expect(await openBrowser(url, { platform: 'linux', env: { PATH: `${dir}:/usr/bin:/bin` } })).toBe(true);
    expect(await waitFor(() => readFile(log, 'utf8').catch(() => ''), 5000, 'the stand-in opener')).toBe(url);
  });
});
