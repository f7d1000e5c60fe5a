// What the screenshot tests share: the two screens, one folder for every PNG of the run (its path printed
// by each file), waiting for the bot's cards in Web Chat, and the checks made on every screenshot.
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { createApp, type App } from '../../index';
import { loadConfig } from '../../config';
import { listen } from '../../server/app';
import { silentLogger } from '../../shared/log';
import { launchBrowser } from './launch';

export const SENDBOX = '[data-id="webchat-sendbox-input"]';
export const WAIT_MS = 15_000;
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
export type Device = keyof typeof VIEWPORTS;

/** One folder per test run (a module is loaded once per process), so every screenshot file adds to it. */
export const screenshotFolder = join(
  tmpdir(),
  `medicine-chat-screenshots-${new Date().toISOString().replace(/[:.]/g, '-')}`,
);

export type Scope = Page | Frame;

export function cards(scope: Scope): Locator {
  return scope.locator('.webchat__basic-transcript .ac-adaptiveCard');
}

async function cardCount(scope: Scope): Promise<number> {
  return cards(scope).count();
}

export async function waitForCards(scope: Scope, atLeast: number): Promise<Locator> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const count = await cardCount(scope);
    if (count >= atLeast) return cards(scope).nth(count - 1);
    if (Date.now() > deadline) throw new Error(`expected ${atLeast} cards, saw ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Web Chat scrolls and animates a new card in: let it settle before a screenshot. */
export const settle = (ms = 400): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Types a question into the send box and returns the bot's card that answers it. */
export async function ask(scope: Scope, question: string): Promise<Locator> {
  const before = await cardCount(scope);
  await scope.locator(SENDBOX).fill(question);
  await scope.locator(SENDBOX).press('Enter');
  const card = await waitForCards(scope, before + 1);
  await settle();
  return card;
}

/** Clicks a card's button and returns the bot's card that answers it. */
export async function clickCard(scope: Scope, button: Locator): Promise<Locator> {
  const before = await cardCount(scope);
  await button.click();
  const card = await waitForCards(scope, before + 1);
  await settle();
  return card;
}

/** The WCAG contrast of an element's text against white (the card's background). */
export async function contrastOf(element: Locator): Promise<number> {
  return element.evaluate((el) => {
    const [r, g, b] = getComputedStyle(el)
      .color.match(/\d+(\.\d+)?/g)!
      .slice(0, 3)
      .map(Number)
      .map((c) => {
        const v = c / 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
      });
    const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    return 1.05 / (luminance + 0.05);
  });
}

/** Every card button's label fits its button: nothing cut off. */
export async function expectLabelsFit(scope: Scope): Promise<void> {
  const cut = await scope
    .locator('.ac-pushButton')
    .evaluateAll((buttons) =>
      buttons
        .filter((b) => b.scrollWidth > b.clientWidth + 1 || b.scrollHeight > b.clientHeight + 1)
        .map((b) => b.textContent ?? ''),
    );
  expect(cut).to.deep.equal([]);
}

/** A page on one of the two screens, and screenshots of it checked by axe. */
export interface Screen {
  page: Page;
  /** Saves `<name>.png` in the folder and checks axe: no violation at all, of any impact. */
  shoot(name: string): Promise<void>;
}

/**
 * The app (its settings over the tests' defaults) and one browser for a test file, started before its tests
 * and stopped after them (mocha hooks), and the screens opened on the app's pages: open(device, '/demo').
 */
export function screensOfApp(settings: () => Promise<Record<string, string>> = async () => ({})): {
  open(device: Device, path: string): Promise<Screen>;
} {
  let app: App | undefined;
  let base = '';
  let browser: Browser | undefined;
  const opened = screens(() => browser!);
  before(async () => {
    const env = { LOG_LEVEL: 'error', CONVERSATION_START_BURST: '500', ...(await settings()) };
    app = createApp(loadConfig(env), silentLogger);
    base = `http://127.0.0.1:${await listen(app.server, 0)}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    console.log(`      screenshots (${opened.shots.length}) in ${screenshotFolder}`);
  });
  afterEach(() => opened.close());
  return { open: (device, path) => opened.open(device, `${base}${path}`) };
}

/** Screens opened in one browser, each in a context of its own; close() closes the last one opened. */
function screens(browser: () => Browser): {
  open(device: Device, url: string): Promise<Screen>;
  close(): Promise<void>;
  shots: string[];
} {
  const shots: string[] = [];
  let context: BrowserContext | undefined;
  return {
    shots,
    async open(device, url) {
      mkdirSync(screenshotFolder, { recursive: true });
      context = await browser().newContext({
        viewport: VIEWPORTS[device],
        deviceScaleFactor: 1,
        isMobile: device === 'phone',
        hasTouch: device === 'phone',
      });
      context.setDefaultTimeout(WAIT_MS);
      const page = await context.newPage();
      await page.goto(url);
      const shoot = async (name: string): Promise<void> => {
        const file = join(screenshotFolder, `${name}.png`);
        await page.screenshot({ path: file });
        shots.push(file);
        const result = await new AxeBuilder({ page })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
          .analyze();
        const violations = result.violations.map(
          (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
        );
        expect(violations, name).to.deep.equal([]);
      };
      return { page, shoot };
    },
    async close() {
      await context?.close();
      context = undefined;
    },
  };
}
