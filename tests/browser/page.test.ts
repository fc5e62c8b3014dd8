/**
 * Drives the browser example in real headless Chromium (Debian's `chromium` with
 * playwright-core): training makes progress on the wasm backend, Stop stops it, Save and a
 * page reload followed by Reload bring back the same weights and step, and training resumes.
 *
 * Chromium is kept off the network: the launch flags turn off its background traffic, the
 * profile is a fresh folder, and every request that is not to the loopback server is aborted.
 * Without /usr/bin/chromium (or CHROMIUM_PATH) the test fails when CI is set and is skipped
 * otherwise. Screenshots go to TFJS_GAN_SCREENSHOTS, or a new temporary folder.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildPage } from '../../examples/browser/build';
import { serveFolder } from '../../examples/browser/serve';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const inCi = Boolean(process.env.CI);
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let work: string;
let server: Server | undefined;
let context: BrowserContext | undefined;
let url: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!available) return;
  work = await mkdtemp(join(tmpdir(), 'tfjs-gan-browser-'));
  ({ server, url } = await serveFolder(await buildPage(join(work, 'site'))));
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1000, height: 720 },
  });
  const origin = new URL(url).origin;
  await context.route('**/*', (route) =>
    new URL(route.request().url()).origin === origin ? route.continue() : route.abort(),
  );
}, 180_000);

afterAll(async () => {
  await context?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  if (work) await rm(work, { recursive: true, force: true });
});

/** Waits until the page's `data-state` is `state`, failing at once on the error state. */
async function waitForState(page: Page, state: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    (wanted) => [wanted, 'error'].includes(document.body.dataset.state ?? ''),
    state,
    { timeout },
  );
  const [now, message] = await Promise.all([
    page.evaluate(() => document.body.dataset.state),
    page.textContent('#message'),
  ]);
  expect(now, `page message: ${message}`).toBe(state);
}

const number = async (page: Page, selector: string) => Number(await page.textContent(selector));

describe('browser example', () => {
  it.skipIf(!available && !inCi)(
    'trains on wasm, stops, saves to IndexedDB and restores after a page reload',
    async () => {
      if (!available) {
        throw new Error(
          `Chromium not found at ${CHROMIUM}: install Debian's package ` +
            `('apt-get install -y chromium') or set CHROMIUM_PATH; CI must run this test.`,
        );
      }
      const page = await (context as BrowserContext).newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(url);
      await waitForState(page, 'idle');
      expect(await page.inputValue('#backend')).toBe('wasm');
      const initialChecksum = await page.textContent('#checksum');
      const initialRadius = await number(page, '#radius');

      await page.click('#start');
      await page.waitForFunction(() => Number(document.getElementById('step')?.textContent) >= 300);
      const dLoss = await number(page, '#d-loss');
      const gLoss = await number(page, '#g-loss');
      expect(Number.isFinite(dLoss) && Number.isFinite(gLoss), `${dLoss}, ${gLoss}`).toBe(true);
      await page.click('#stop');
      await waitForState(page, 'idle');
      const stoppedAt = await number(page, '#step');
      const checksum = await page.textContent('#checksum');
      expect(stoppedAt).toBeGreaterThanOrEqual(300);
      expect(checksum).not.toBe(initialChecksum);
      // Progress: the generated points' mean distance from the origin moves towards the
      // ring's radius 2 (about 0.6 for the initial weights; about 1.8 to 2.4 after 300 steps).
      const radius = await number(page, '#radius');
      expect(Math.abs(radius - 2), `radius ${initialRadius} → ${radius}`).toBeLessThan(
        Math.abs(initialRadius - 2) / 2,
      );

      const shots = process.env.TFJS_GAN_SCREENSHOTS ?? join(work, 'screenshots');
      await mkdir(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'trained.png'), fullPage: true });

      await page.click('#save');
      await waitForState(page, 'idle');
      expect(await number(page, '#saved')).toBe(stoppedAt);

      await page.reload();
      await waitForState(page, 'idle');
      expect(await page.textContent('#checksum')).toBe(initialChecksum);
      await page.click('#reload');
      await waitForState(page, 'idle');
      expect(await number(page, '#step')).toBe(stoppedAt);
      expect(await page.textContent('#checksum')).toBe(checksum);
      await page.screenshot({ path: join(shots, 'restored.png'), fullPage: true });

      await page.click('#start');
      await page.waitForFunction(
        (from) => Number(document.getElementById('step')?.textContent) >= from + 20,
        stoppedAt,
      );
      await page.click('#stop');
      await waitForState(page, 'idle');
      await page.screenshot({ path: join(shots, 'resumed.png'), fullPage: true });
      const png = await readFile(join(shots, 'resumed.png'));
      // A PNG starts with the bytes 0x89 'P' 'N' 'G'.
      expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
      expect(pageErrors).toEqual([]);
    },
    180_000,
  );
});
