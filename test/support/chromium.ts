import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, headless, with nothing of its own on the network (no component updates, no
 * sync, no background requests), so a test can prove that a page fetches nothing from elsewhere.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
