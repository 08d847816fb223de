// Headless Chromium for the report test and benchmark: Debian's chromium driven by
// playwright-core (no browser download), with a fresh profile and no network (CI's
// network is closed, and a report must not need one).

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

/** Where Chromium is: $KFIB_CHROMIUM, else Debian's /usr/bin/chromium. */
export const CHROMIUM = process.env['KFIB_CHROMIUM'] ?? '/usr/bin/chromium';

/** Why the browser cannot run here, or null when it can. */
export function browserMissing(): string | null {
  if (existsSync(CHROMIUM)) return null;
  return `no Chromium at ${CHROMIUM} (install Debian's chromium package, or set KFIB_CHROMIUM): the report is not tested in a browser`;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser with a fresh user-data-dir; close() also removes the profile. */
export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches headless Chromium. */
export async function launchBrowser(viewport = { width: 1400, height: 1000 }): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'kfib-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    offline: true,
  });
  return {
    context,
    async close(): Promise<void> {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
