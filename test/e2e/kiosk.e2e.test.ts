// The browser kiosk as someone at the kiosk would try to leave it: by editing the URL, by reading the PIN hash out
// of what the page loads, by guessing PINs and reloading (or restarting) to reset the lockout. The server is
// started as a kiosk (`--kiosk`) with a PIN in its settings file, and checks the PIN itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPin } from '../../src/kiosk/pin';
import { REPO_ROOT, serveApp, type ServedApp } from '../../scripts/headless/app-server';
import { launchChromium, makeTestClip, type LaunchedChromium } from '../../scripts/headless/chromium';

const PIN = '4826';
let pinHash: string;
let browser: LaunchedChromium;
const servers: ServedApp[] = [];

/** `dataFolder`: kept (not removed when the server closes), so a restarted server finds its lockout. */
async function kioskServer(dataFolder?: string): Promise<ServedApp> {
  const served = await serveApp({ kiosk: true, settings: { kiosk: { pinHash } }, dataFolder });
  servers.push(served);
  return served;
}

/** The page once the app has started (a kiosk starts the camera at once). */
async function openApp(url: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __sentinel?: { framesProcessed: number } }).__sentinel?.framesProcessed! > 0, undefined, { timeout: 90_000, polling: 250 });
  return page;
}

const inKiosk = (page: Page) =>
  page.evaluate(() => ({
    exitButton: !(document.getElementById('kiosk-exit') as HTMLButtonElement).hidden,
    privacyView: document.getElementById('stage')!.dataset.privacyView === 'on',
  }));

async function tryPin(page: Page, pin: string): Promise<string | null> {
  if (!(await page.locator('dialog.kiosk-exit').evaluate((dialog) => (dialog as HTMLDialogElement).open).catch(() => false))) {
    await page.click('#kiosk-exit');
  }
  const status = page.locator('dialog.kiosk-exit [role=status]');
  await status.evaluate((element) => (element.textContent = ''));
  await page.locator('dialog.kiosk-exit input').fill(pin);
  await page.locator('dialog.kiosk-exit button', { hasText: 'Exit' }).click();
  await expect.poll(() => status.textContent(), { timeout: 10_000 }).not.toBe('');
  return status.textContent();
}

beforeAll(async () => {
  pinHash = await hashPin(PIN);
  browser = await launchChromium({ fakeVideo: makeTestClip(join(REPO_ROOT, 'test-results', 'media'), 4) });
});

afterAll(async () => {
  await browser?.close();
  for (const served of servers) await served.close();
});

describe('browser kiosk', () => {
  it('stays a kiosk whatever the URL says, and the PIN hash is in nothing the page loads', async () => {
    const served = await kioskServer();
    const bodies: string[] = [];
    browser.context.on('response', (response) => void response.text().then((text) => bodies.push(text), () => {}));
    for (const query of ['?pose=lite&model=none', '?kiosk=0&pose=lite&model=none', '?kiosk=false&pose=lite&model=none']) {
      const page = await openApp(`${served.url}${query}`);
      expect(await inKiosk(page), query).toEqual({ exitButton: true, privacyView: true });
      expect(await page.evaluate(() => getComputedStyle(document.getElementById('video')!).visibility)).toBe('hidden');
      await page.close();
    }
    expect(bodies.length).toBeGreaterThan(10);
    const [, , salt, hash] = pinHash.split('$');
    for (const body of bodies) {
      expect(body).not.toContain(hash!);
      expect(body).not.toContain(salt!);
    }
  });

  it('leaves only with the right PIN, checked by the server; the reloaded page is no kiosk', async () => {
    const served = await kioskServer();
    const page = await openApp(`${served.url}?pose=lite&model=none`);
    expect(await tryPin(page, '1111')).toBe('Wrong PIN.');
    expect(await inKiosk(page)).toEqual({ exitButton: true, privacyView: true });
    await page.locator('dialog.kiosk-exit input').fill(PIN);
    await Promise.all([page.waitForEvent('load'), page.locator('dialog.kiosk-exit button', { hasText: 'Exit' }).click()]);
    await expect.poll(() => inKiosk(page), { timeout: 30_000 }).toEqual({ exitButton: false, privacyView: false });
    // Not a kiosk any more for this launch of the server, whatever the page does next.
    await page.reload();
    await expect.poll(() => inKiosk(page), { timeout: 30_000 }).toEqual({ exitButton: false, privacyView: false });
    await page.close();
  });

  it('keeps the lockout after a reload and after a restart of the server', async () => {
    const dataFolder = mkdtempSync(join(tmpdir(), 'sentinel-kiosk-'));
    const first = await kioskServer(dataFolder);
    let page = await openApp(`${first.url}?pose=lite&model=none`);
    for (const pin of ['0000', '1111']) expect(await tryPin(page, pin)).toBe('Wrong PIN.');
    expect(await tryPin(page, '2222')).toBe('Wrong PIN.');
    expect(await tryPin(page, PIN)).toMatch(/^Too many wrong PINs\. Try again in \d+ s\.$/);
    await page.reload();
    expect(await tryPin(page, PIN)).toMatch(/^Too many wrong PINs/);
    await page.close();

    await first.close();
    const restarted = await kioskServer(dataFolder);
    page = await openApp(`${restarted.url}?pose=lite&model=none`);
    expect(await inKiosk(page)).toEqual({ exitButton: true, privacyView: true });
    expect(await tryPin(page, PIN)).toMatch(/^Too many wrong PINs/);
    await page.close();
    rmSync(dataFolder, { recursive: true, force: true });
  });
});
