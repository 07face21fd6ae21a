// Debian's Chromium driven by playwright-core, as on the machines this project runs on: no browser
// download, no network (the background-networking flags keep Chromium off the closed network).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// A headless Chromium with a fresh profile (playwright gives each launch a new --user-data-dir).
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium; .ci/run does it)`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}
