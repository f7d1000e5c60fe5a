// End to end in headless Chromium: the real server (bot, local Direct Line channel, web channel) and the
// real Web Chat bundle. Covers the chat page over WebSocket and polling, card buttons, the guided
// "how do I take it" flow, resuming after a reload, the embeddable widget by keyboard, and axe checks.
import { expect } from 'chai';
import * as http from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { createApp, type App } from '../../index';
import { loadConfig } from '../../config';
import { listen } from '../../server/app';
import { silentLogger } from '../../shared/log';
import kbJson from '../../knowledge/medicines/imnovid/kb.json';
import { flows } from '../fixtures/imnovidFlows';
import botTexts from '../../render/texts.json';
import webTexts from '../../channels/web/texts.json';
import presentation from '../../render/presentation.json';
import type { KnowledgeBase } from '../../knowledge/types';
import { launchBrowser } from './launch';

const kb = kbJson as unknown as KnowledgeBase;
const shortLabels: Record<string, string> = presentation.short;
const HOSPITAL = 'http://hospital.test';
const STORAGE_KEY = 'medicine-chat:local';
const SENDBOX = '[data-id="webchat-sendbox-input"]';
const WAIT_MS = 10_000;

type Scope = Page | FrameLocator;

/** Web Chat's markdown turns straight quotes into typographic ones: compare without either. */
function plain(text: string): string {
  return text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();
}

function pair(id: string): KnowledgeBase['pairs'][number] {
  const found = kb.pairs.find((p) => p.id === id);
  if (!found) throw new Error(`no pair ${id}`);
  return found;
}

function cards(scope: Scope): Locator {
  return scope.locator('.webchat__basic-transcript .ac-adaptiveCard');
}

function userBubbles(scope: Scope): Locator {
  return scope.locator('.webchat__basic-transcript .webchat__bubble--from-user');
}

/** A button of the newest card (older cards keep their buttons, so titles repeat). */
function lastCardButton(scope: Scope, title: string): Locator {
  return cards(scope).last().locator('button.ac-pushButton', { hasText: title });
}

async function waitForCardCount(scope: Scope, atLeast: number): Promise<Locator> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const count = await cards(scope).count();
    if (count >= atLeast) return cards(scope).nth(count - 1);
    if (Date.now() > deadline) throw new Error(`expected ${atLeast} cards, saw ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitUntil(probe: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function cardText(card: Locator): Promise<string> {
  return plain(await card.innerText());
}

async function waitForWelcome(scope: Scope): Promise<Locator> {
  const welcome = cards(scope).filter({ hasText: 'How do I take it?' }).first();
  await welcome.waitFor({ timeout: WAIT_MS });
  return welcome;
}

async function ask(scope: Scope, question: string): Promise<Locator> {
  const before = await cards(scope).count();
  const input = scope.locator(SENDBOX);
  await input.fill(question);
  await input.press('Enter');
  return waitForCardCount(scope, before + 1);
}

async function click(scope: Scope, button: Locator): Promise<Locator> {
  const before = await cards(scope).count();
  await button.click();
  return waitForCardCount(scope, before + 1);
}

/** The source line as the renderer writes it for a pair. */
function sourceLineOf(id: string): string {
  const p = pair(id);
  return plain(
    botTexts.sourceLine
      .replace('{medicine}', kb.medicine)
      .replace('{documentId}', p.provenance.documentId)
      .replace('{section}', p.provenance.section)
      .replace('{updated}', kb.lastUpdatedText),
  );
}

interface StandIn {
  url: string;
  tokenRequests: {
    authorization: string | undefined;
    body: { user: { id: string }; trustedOrigins: string[] };
  }[];
  close(): Promise<void>;
}

/**
 * A stand-in for Azure Direct Line: forwards every request to another instance of our server (its local
 * channel speaks the same protocol) after checking the secret on tokens/generate. The local channel
 * keeps the dl_ prefix for ids it makes up itself, so the user id is renamed on the way. Like Azure, it
 * answers CORS for any page itself (its tokens are bearer tokens); our local channel only serves its own
 * page and ALLOWED_ORIGINS, so the page's origin is not passed on. Like Azure, it hands out stream URLs
 * on its own host: the channel's streamUrl is rewritten to point here, and the WebSocket upgrade is
 * relayed byte for byte to the channel (the token in the URL is the channel's own, so it is kept).
 */
async function azureStandIn(target: string, secret: string): Promise<StandIn> {
  const tokenRequests: StandIn['tokenRequests'] = [];
  const targetHost = new URL(target).host;
  let ownHost = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      const cors: Record<string, string> = req.headers.origin
        ? { 'access-control-allow-origin': req.headers.origin, vary: 'Origin' }
        : {};
      if (req.method === 'OPTIONS') {
        // restify patches every ServerResponse's writeHead, which then returns nothing: no chaining.
        res.writeHead(204, {
          ...cors,
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '',
        });
        res.end();
        return;
      }
      const headers = { ...req.headers, host: targetHost };
      delete headers.origin;
      if (req.url === '/v3/directline/tokens/generate' && req.method === 'POST') {
        const parsed = JSON.parse(body.toString('utf8')) as StandIn['tokenRequests'][number]['body'];
        tokenRequests.push({ authorization: req.headers.authorization, body: parsed });
        if (req.headers.authorization !== `Bearer ${secret}`) {
          res.writeHead(403);
          res.end();
          return;
        }
        delete headers.authorization;
        body = Buffer.from(JSON.stringify({ user: { id: parsed.user.id.replace(/^dl_/, 'az_') } }));
        headers['content-length'] = String(body.length);
      }
      const upstream = http.request(`${target}${req.url}`, { method: req.method, headers }, (reply) => {
        // Replies are small JSON documents: read each whole so a streamUrl in it can be rewritten.
        const parts: Buffer[] = [];
        reply.on('data', (c: Buffer) => parts.push(c));
        reply.on('end', () => {
          let text = Buffer.concat(parts);
          const replyHeaders = { ...reply.headers, ...cors };
          if (/json/.test(reply.headers['content-type'] ?? '') && text.includes('streamUrl')) {
            const doc = JSON.parse(text.toString('utf8')) as { streamUrl?: unknown };
            if (typeof doc.streamUrl === 'string') {
              // A stream URL on any other host is left alone, so the test's socket check catches it.
              const url = new URL(doc.streamUrl);
              if (url.host === targetHost) url.host = ownHost;
              doc.streamUrl = url.href;
            }
            text = Buffer.from(JSON.stringify(doc));
            replyHeaders['content-length'] = String(text.length);
          }
          res.writeHead(reply.statusCode ?? 502, replyHeaders);
          res.end(text);
        });
      });
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    });
  });
  const relayed = new Set<Duplex>();
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    relayed.add(socket);
    socket.on('close', () => relayed.delete(socket));
    const headers = { ...req.headers, host: targetHost };
    delete headers.origin;
    const upstream = http.request(`${target}${req.url}`, { method: req.method, headers });
    const fail = (): void => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', fail);
    upstream.on('error', fail);
    // A refusal (403, 404) is passed on as it came, then the connection ends.
    upstream.on('response', (reply) => {
      socket.end(
        `HTTP/1.1 ${reply.statusCode} ${reply.statusMessage}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
    });
    upstream.on('upgrade', (reply, channel, channelHead) => {
      const lines = [`HTTP/1.1 101 ${reply.statusMessage}`];
      for (let i = 0; i < reply.rawHeaders.length; i += 2) {
        lines.push(`${reply.rawHeaders[i]}: ${reply.rawHeaders[i + 1]}`);
      }
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (channelHead.length > 0) socket.write(channelHead);
      if (head.length > 0) channel.write(head);
      channel.on('error', fail);
      channel.pipe(socket).pipe(channel);
      channel.on('close', () => socket.destroy());
      socket.on('close', () => channel.destroy());
    });
    upstream.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  ownHost = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${ownHost}`,
    tokenRequests,
    close: () =>
      new Promise((resolve) => {
        // Relayed streams are no longer the HTTP server's to close, and would keep it open.
        for (const socket of relayed) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('browser: chat page, widget and accessibility (headless Chromium)', function () {
  this.timeout(60_000);

  let app: App;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  before(async () => {
    app = createApp(
      // Every test starts a conversation from the one test address: more than a visitor's allowance.
      loadConfig({ LOG_LEVEL: 'error', ALLOWED_ORIGINS: HOSPITAL, CONVERSATION_START_BURST: '500' }),
      silentLogger,
    );
    base = `http://127.0.0.1:${await listen(app.server, 0)}`;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await app.close();
  });

  beforeEach(async () => {
    // A fresh context per test: its own sessionStorage, so every test starts its own conversation.
    context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    context.setDefaultTimeout(WAIT_MS);
    problems = [];
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    page = await context.newPage();
    context.on('page', (p) => watch(p));
    watch(page);
  });

  function watch(p: Page): void {
    p.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    p.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
  }

  afterEach(async () => {
    await context.close();
  });

  /** A test whose page scripts must also run without errors and without anything the CSP blocked. */
  function browserIt(title: string, fn: () => Promise<void>): void {
    it(title, async () => {
      await fn();
      expect(problems).to.deep.equal([]);
    });
  }

  browserIt('loads the page from our server and shows the welcome with its buttons (WebSocket)', async () => {
    const sockets: string[] = [];
    const external: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('request', (req) => {
      // blob: and data: URLs are made in the page itself.
      if (!/^(blob|data):/.test(req.url()) && !req.url().startsWith(base)) external.push(req.url());
    });
    await page.goto(`${base}/`);
    const welcome = await waitForWelcome(page);
    const text = await cardText(welcome);
    expect(text).to.contain(plain(botTexts.welcome[1]));
    for (const button of botTexts.menuButtons) {
      expect(await welcome.locator('button.ac-pushButton', { hasText: button.title }).count()).to.equal(1);
    }
    expect(await page.locator('.webchat__upload-button').count()).to.equal(0);
    expect(await page.locator('h1').innerText()).to.equal('Imnovid info');
    // The bot's avatar initials come from the page's styleOptions.
    expect(
      await page.locator('.webchat__initialsAvatar__initials', { hasText: webTexts.avatars.bot }).count(),
    ).to.be.above(0);
    expect(sockets).to.have.length(1);
    expect(sockets[0]).to.match(/^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/[^/]+\/stream\?/);
    expect(external).to.deep.equal([]);
  });

  browserIt('answers a typed question in a card with its source line', async () => {
    await page.goto(`${base}/`);
    await waitForWelcome(page);
    const card = await ask(page, 'What is Imnovid used for?');
    const text = await cardText(card);
    expect(text).to.contain(plain(pair('what.overview').answer[0]));
    expect(text).to.contain('EMA overview');
    expect(text).to.contain(sourceLineOf('what.overview'));
    expect(await userBubbles(page).last().innerText()).to.contain('What is Imnovid used for?');
  });

  browserIt('answers a card button, showing the choice as the user message', async () => {
    await page.goto(`${base}/`);
    const welcome = await waitForWelcome(page);
    const sideEffects = botTexts.menuButtons.find((b) => b.title === 'Side effects');
    const card = await click(page, welcome.locator('button.ac-pushButton', { hasText: 'Side effects' }));
    const text = await cardText(card);
    expect(text).to.contain('EMA overview');
    // Issue 14: the sentence as a lead-in and a list, its last items behind "Show more".
    const sentence = plain(pair('risks.common-side-effects').answer[0]);
    expect(text).to.contain(sentence.slice(0, sentence.indexOf(' include') + ' include'.length));
    expect(text).to.contain('anaemia (low red blood cell counts),');
    expect(text).not.to.contain('pneumonia');
    await card.locator('button.ac-pushButton', { hasText: botTexts.showMore }).click();
    expect(await cardText(card)).to.contain('and infections including pneumonia (infection of the lungs).');
    expect(plain(await userBubbles(page).last().innerText())).to.contain(plain(sideEffects?.value ?? '?'));
  });

  browserIt('completes "How do I take it?" by clicks, ending with the deferral', async () => {
    await page.goto(`${base}/`);
    const welcome = await waitForWelcome(page);
    const prompt = await click(
      page,
      welcome.locator('button.ac-pushButton', { hasText: 'How do I take it?' }),
    );
    expect(await cardText(prompt)).to.contain(plain(flows.howToTake.prompt));
    for (const option of flows.howToTake.options) {
      expect(await prompt.locator('button.ac-pushButton', { hasText: option.title }).count()).to.equal(1);
    }
    const unsure = flows.howToTake.options.find((o) => o.id === 'unsure');
    const answer = await click(page, lastCardButton(page, unsure?.title ?? '?'));
    const text = await cardText(answer);
    // Issue 14: each quoted span inside its whole sentence (the left-out words greyed as context).
    const whole = plain(pair('use.schedule').answer[0]);
    expect(text.split(whole)).to.have.length(3);
    expect(text).to.contain(sourceLineOf('use.dose'));
    expect(text).to.contain(plain(botTexts.deferral));
  });

  browserIt('works over polling and resumes the conversation after a reload', async () => {
    const sockets: string[] = [];
    const polls: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('request', (req) => {
      if (req.method() === 'GET' && /\/conversations\/[^/]+\/activities/.test(req.url()))
        polls.push(req.url());
    });
    await page.goto(`${base}/?transport=polling`);
    await waitForWelcome(page);
    await ask(page, 'What is Imnovid used for?');
    const conversationId = await page.evaluate((key) => sessionStorage.getItem(key), STORAGE_KEY);
    expect(conversationId).to.be.a('string');

    await page.reload();
    await waitForWelcome(page);
    // The earlier question and its answer come back; the welcome is not sent a second time.
    await userBubbles(page).filter({ hasText: 'What is Imnovid used for?' }).waitFor({ timeout: WAIT_MS });
    expect(
      await cards(page)
        .filter({ hasText: sourceLineOf('what.overview').slice(0, 40) })
        .count(),
    ).to.equal(1);
    expect(await cards(page).filter({ hasText: 'How do I take it?' }).count()).to.equal(1);
    const after = await page.evaluate((key) => sessionStorage.getItem(key), STORAGE_KEY);
    expect(JSON.parse(after ?? '{}').conversationId).to.equal(
      JSON.parse(conversationId ?? '').conversationId,
    );

    // And the resumed conversation still answers.
    const card = await ask(page, 'Is Imnovid an orphan medicine?');
    expect(await cardText(card)).to.contain(sourceLineOf('what.orphan'));
    expect(sockets).to.deep.equal([]);
    expect(polls.length).to.be.above(2);
  });

  browserIt(
    'resumes over WebSocket after a reload, and starts afresh when the server forgot the conversation',
    async () => {
      await page.goto(`${base}/`);
      await waitForWelcome(page);
      await ask(page, 'What is Imnovid used for?');
      await page.reload();
      await userBubbles(page).filter({ hasText: 'What is Imnovid used for?' }).waitFor({ timeout: WAIT_MS });
      expect(await cards(page).filter({ hasText: 'How do I take it?' }).count()).to.equal(1);

      // Before the next page's scripts run (the leaving page saves its session on pagehide).
      await page.addInitScript((key) => {
        const saved = JSON.parse(sessionStorage.getItem(key) ?? '{}') as Record<string, string>;
        sessionStorage.setItem(key, JSON.stringify({ ...saved, conversationId: 'forgotten-conversation' }));
      }, STORAGE_KEY);
      await page.reload();
      await waitForWelcome(page);
      expect(await userBubbles(page).count()).to.equal(0);
      // The page's check of the forgotten conversation was answered 404, as it should be.
      expect(problems.filter((p) => / 404 /.test(p))).to.have.length(1);
      problems = problems.filter((p) => !/ 404 /.test(p));
      const saved = await page.evaluate((key) => sessionStorage.getItem(key), STORAGE_KEY);
      expect(JSON.parse(saved ?? '{}').conversationId)
        .to.be.a('string')
        .and.not.equal('forgotten-conversation');
    },
  );

  browserIt(
    'saves a refreshed token at once: a reload after a refresh resumes, the old token is refused',
    async () => {
      const savedSession = async (): Promise<{ conversationId: string; token: string }> =>
        JSON.parse((await page.evaluate((key) => sessionStorage.getItem(key), STORAGE_KEY)) ?? '{}') as {
          conversationId: string;
          token: string;
        };
      // The page's own clock, so DirectLineJS's 15-minute refresh can be brought forward.
      await page.clock.install();
      await page.goto(`${base}/`);
      await waitForWelcome(page);
      await ask(page, 'What is Imnovid used for?');
      const first = await savedSession();
      expect(first.token).to.be.a('string');

      const refresh = page.waitForResponse((r) => r.url().endsWith('/v3/directline/tokens/refresh'));
      await page.clock.fastForward('15:01');
      expect((await refresh).status()).to.equal(200);
      // Saved as soon as it arrived, not only when the page goes away.
      await waitUntil(async () => (await savedSession()).token !== first.token, 'the refreshed token saved');

      await page.reload();
      await userBubbles(page).filter({ hasText: 'What is Imnovid used for?' }).waitFor({ timeout: WAIT_MS });
      expect(await cards(page).filter({ hasText: 'How do I take it?' }).count()).to.equal(1);
      const after = await savedSession();
      expect(after.conversationId).to.equal(first.conversationId);
      expect(after.token).to.not.equal(first.token);
      const card = await ask(page, 'Is Imnovid an orphan medicine?');
      expect(await cardText(card)).to.contain(sourceLineOf('what.orphan'));

      const path = `/v3/directline/conversations/${encodeURIComponent(first.conversationId)}/activities`;
      const withOld = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${first.token}` } });
      expect(withOld.status).to.equal(403);
      const withNew = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${after.token}` } });
      expect(withNew.status).to.equal(200);
    },
  );

  /** Whether the widget's element `selector` (in its shadow root) has the keyboard focus. */
  async function widgetFocus(selector: string): Promise<boolean> {
    return page.evaluate((sel) => {
      const host = document.getElementById('medicine-chat-widget');
      const focused = host?.shadowRoot?.activeElement;
      return document.activeElement === host && !!focused && focused.matches(sel);
    }, selector);
  }

  function chatFrame(): Frame {
    const frame = page.frames().find((f) => f.url().includes('embed=1'));
    if (!frame) throw new Error('chat iframe not found');
    return frame;
  }

  async function frameFocus(): Promise<string> {
    return chatFrame().evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      return `${el.tagName.toLowerCase()}.${el.className}|${el.dataset.id ?? ''}|${(el.textContent ?? '').trim()}`;
    });
  }

  async function pressUntil(key: string, done: () => Promise<boolean>, what: string): Promise<void> {
    for (let i = 0; i < 25; i += 1) {
      if (await done()) return;
      await page.keyboard.press(key);
    }
    throw new Error(`pressing ${key} never reached ${what}`);
  }

  browserIt('opens the widget on /demo, chats and closes it, by keyboard only', async () => {
    await page.goto(`${base}/demo`);
    const launcher = page.locator('.launcher');
    const dialog = page.getByRole('dialog', { name: 'Questions about Imnovid?' });
    await launcher.waitFor();
    // The chat only loads once opened.
    expect(await page.locator('iframe').count()).to.equal(0);
    await pressUntil('Tab', () => widgetFocus('.launcher'), 'the launcher');
    expect(await launcher.getAttribute('aria-expanded')).to.equal('false');

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await launcher.getAttribute('aria-expanded')).to.equal('true');
    const frame = page.frameLocator('iframe');
    await waitForWelcome(frame);
    // Focus moved into the panel, onto the send box.
    await waitUntil(
      async () => (await frameFocus()).includes('webchat-sendbox-input'),
      'focus on the send box',
    );

    await page.keyboard.type('What is Imnovid used for?');
    const before = await cards(frame).count();
    await page.keyboard.press('Enter');
    const answer = await waitForCardCount(frame, before + 1);
    expect(await cardText(answer)).to.contain(sourceLineOf('what.overview'));

    // Choose a button of the answer: into the transcript, into the newest message, along its buttons.
    await pressUntil(
      'Shift+Tab',
      async () => (await frameFocus()).includes('webchat__basic-transcript '),
      'the transcript',
    );
    await page.keyboard.press('Enter');
    await pressUntil(
      'Tab',
      async () => /^button\.ac-pushButton.*\|\|(?!Show more)/.test(await frameFocus()),
      'a suggestion button',
    );
    const chosen = (await frameFocus()).split('|')[2];
    const count = await cards(frame).count();
    await page.keyboard.press('Enter');
    await waitForCardCount(frame, count + 1);
    // The button shows the pair's short label; the question itself is what is sent (issue 14).
    const asked = kb.pairs.find((p) => shortLabels[p.id] === chosen)?.question ?? chosen;
    expect(plain(await userBubbles(frame).last().innerText())).to.contain(plain(asked));

    // Escape closes the panel and gives the focus back to the launcher.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await widgetFocus('.launcher')).to.equal(true);
    expect(await launcher.getAttribute('aria-expanded')).to.equal('false');

    // Reopening keeps the conversation; the close button works from the keyboard too.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await userBubbles(frame).filter({ hasText: 'What is Imnovid used for?' }).count()).to.equal(1);
    await pressUntil('Shift+Tab', () => widgetFocus('.close'), 'the close button');
    expect(await page.getByRole('button', { name: webTexts.widget.close }).count()).to.equal(1);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    expect(await widgetFocus('.launcher')).to.equal(true);
  });

  browserIt('embeds on another site with its data attributes, framed only where allowed', async () => {
    const hospitalPage = (
      origin: string,
    ): string => `<!doctype html><html lang="en"><head><title>Hospital</title></head>
<body><main><h1>Clinic</h1></main>
<script src="${base}/embed.js" data-position="left" data-accent="#ffd700" data-title="Ask about Imnovid" data-lang="en"></script>
<p>${origin}</p></body></html>`;
    for (const origin of [HOSPITAL, 'http://elsewhere.test']) {
      // A strict hospital CSP: our script and frame allowed, no inline styles (the widget must cope).
      await page.route(`${origin}/`, (route) =>
        route.fulfill({
          status: 200,
          contentType: 'text/html',
          headers: {
            'Content-Security-Policy': `default-src 'none'; script-src ${base}; frame-src ${base}; style-src 'self'`,
          },
          body: hospitalPage(origin),
        }),
      );
    }

    await page.goto(`${HOSPITAL}/`);
    const launcher = page.locator('.launcher');
    await launcher.waitFor();
    expect(await launcher.innerText()).to.equal('Ask about Imnovid');
    const box = await launcher.boundingBox();
    expect(box?.x).to.be.below(100);
    // A light accent gets black text, so the launcher stays readable.
    const colours = await launcher.evaluate((el) => {
      const style = getComputedStyle(el);
      return [style.backgroundColor, style.color];
    });
    expect(colours).to.deep.equal(['rgb(255, 215, 0)', 'rgb(0, 0, 0)']);
    await launcher.click();
    const iframe = page.locator('iframe');
    expect(await iframe.getAttribute('sandbox')).to.contain('allow-scripts');
    expect(await iframe.getAttribute('title')).to.equal('Chat: questions about Imnovid');
    const welcome = await waitForWelcome(page.frameLocator('iframe'));
    expect(await cardText(welcome)).to.contain(plain(botTexts.welcome[1]));

    // A site missing from ALLOWED_ORIGINS gets no chat: the page's frame-ancestors refuses it.
    const refused: string[] = [];
    page.on('console', (msg) => {
      if (/frame-ancestors/.test(msg.text())) refused.push(msg.text());
    });
    await page.goto('http://elsewhere.test/');
    await page.locator('.launcher').click();
    await waitUntil(async () => refused.length > 0, 'the frame-ancestors refusal');
    expect(await page.frameLocator('iframe').locator(SENDBOX).count()).to.equal(0);
    // That refusal is the expected outcome here, not a script problem.
    problems = problems.filter((p) => !/frame-ancestors/.test(p));
  });

  for (const transport of ['polling', 'websocket'] as const) {
    browserIt(
      `uses Azure Direct Line with a token from our endpoint when a secret is configured (${transport})`,
      async () => {
        const secret = 'browser-test-secret-4Kp9';
        const channelHost = createApp(loadConfig({ LOG_LEVEL: 'error' }), silentLogger);
        const azure = await azureStandIn(`http://127.0.0.1:${await listen(channelHost.server, 0)}`, secret);
        const web = createApp(
          loadConfig({ LOG_LEVEL: 'error', DIRECT_LINE_SECRET: secret, DIRECT_LINE_ENDPOINT: azure.url }),
          silentLogger,
        );
        const webBase = `http://127.0.0.1:${await listen(web.server, 0)}`;
        try {
          const seen: string[] = [];
          const sockets: string[] = [];
          const frames: string[] = [];
          // Everything the browser receives, to look for the secret in: headers, bodies, stream frames.
          const received: Promise<string>[] = [];
          page.on('request', (req) => seen.push(`${req.method()} ${req.url()}`));
          page.on('response', (res) =>
            received.push(
              res
                .body()
                .then((b) => b.toString('utf8'))
                .catch(() => '')
                .then((body) => `${res.url()} ${JSON.stringify(res.headers())} ${body}`),
            ),
          );
          page.on('websocket', (ws) => {
            sockets.push(ws.url());
            ws.on('framereceived', (frame) => {
              frames.push(String(frame.payload));
              received.push(Promise.resolve(String(frame.payload)));
            });
          });
          await page.goto(transport === 'polling' ? `${webBase}/?transport=polling` : `${webBase}/`);
          await waitForWelcome(page);
          const card = await ask(page, 'What is Imnovid used for?');
          expect(await cardText(card)).to.contain(sourceLineOf('what.overview'));

          expect(seen).to.include(`POST ${webBase}/api/directline/token`);
          expect(
            seen.filter((r) => r.startsWith(`POST ${azure.url}/v3/directline/conversations`)),
          ).to.have.length.above(0);
          expect(seen.filter((r) => r.includes(`${webBase}/v3/directline`))).to.deep.equal([]);
          const polls = seen.filter((r) => /^GET \S+\/conversations\/[^/]+\/activities/.test(r));
          if (transport === 'websocket') {
            // One stream, opened on the Direct Line host (the stand-in), never on our server; no polling.
            expect(sockets).to.have.length(1);
            const wsBase = azure.url.replace(/^http/, 'ws');
            expect(sockets[0].startsWith(`${wsBase}/v3/directline/conversations/`)).to.equal(true);
            expect(sockets[0]).to.match(/\/stream\?(.+&)?t=[^&]+/);
            expect(polls).to.deep.equal([]);
            // The answers came down the stream.
            expect(frames.some((f) => f.includes('"activities"'))).to.equal(true);
          } else {
            expect(sockets).to.deep.equal([]);
            expect(polls.length).to.be.above(0);
          }
          expect(azure.tokenRequests).to.have.length(1);
          expect(azure.tokenRequests[0].authorization).to.equal(`Bearer ${secret}`);
          expect(azure.tokenRequests[0].body.trustedOrigins).to.deep.equal([webBase]);
          const saved = await page.evaluate(() => sessionStorage.getItem('medicine-chat:azure'));
          expect(JSON.parse(saved ?? '{}').userId).to.equal(azure.tokenRequests[0].body.user.id);
          expect(saved).to.not.contain(secret);
          const texts = await Promise.all(received);
          expect(texts.some((t) => t.includes(`${webBase}/api/directline/token`))).to.equal(true);
          expect(texts.filter((t) => t.includes(secret))).to.deep.equal([]);
        } finally {
          await context.close();
          await web.close();
          await azure.close();
          await channelHost.close();
        }
      },
    );
  }

  /** Clicks "Save this conversation" in `scope` and returns the downloaded file's name and text. */
  async function saveConversation(scope: Scope): Promise<{ name: string; text: string; requests: string[] }> {
    const requests: string[] = [];
    const onRequest = (req: { url(): string }): void => {
      requests.push(req.url());
    };
    page.on('request', onRequest);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      scope.getByRole('button', { name: webTexts.save.button }).click(),
    ]);
    const path = await download.path();
    page.off('request', onRequest);
    return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8'), requests };
  }

  browserIt('saves the conversation as a text file made in the browser, and axe finds nothing', async () => {
    await page.goto(`${base}/`);
    await waitForWelcome(page);
    await ask(page, 'What is Imnovid used for?');
    const saved = await saveConversation(page);
    expect(saved.name).to.match(/^imnovid-conversation-\d{4}-\d{2}-\d{2}\.txt$/);
    expect(saved.text).to.contain(
      'Answers come from the European Medicines Agency (EMA) overview of Imnovid. They do not replace advice from your doctor, nurse or pharmacist.',
    );
    expect(saved.text).to.contain(botTexts.welcome[1]);
    expect(saved.text).to.contain(`${webTexts.save.you}:\nWhat is Imnovid used for?`);
    expect(saved.text).to.contain(pair('what.overview').answer[0]);
    // Made in the page: no request reached any server but the blob: URL itself.
    expect(saved.requests.filter((u) => !u.startsWith('blob:'))).to.deep.equal([]);
    expect(await seriousViolations()).to.deep.equal([]);
  });

  browserIt('saves the conversation from the widget on /demo', async () => {
    await page.goto(`${base}/demo`);
    await page.locator('.launcher').click();
    const frame = page.frameLocator('iframe');
    await waitForWelcome(frame);
    await ask(frame, 'Can men take Imnovid?');
    const saved = await saveConversation(frame);
    expect(saved.text).to.contain(`${webTexts.save.you}:\nCan men take Imnovid?`);
    expect(saved.text).to.contain(pair('risks.men').answer[0]);
    expect(await seriousViolations()).to.deep.equal([]);
  });

  async function seriousViolations(): Promise<string[]> {
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
      .analyze();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  }

  browserIt('has no serious or critical axe violations on the chat page', async () => {
    await page.goto(`${base}/`);
    await waitForWelcome(page);
    await ask(page, 'What is Imnovid used for?');
    expect(await seriousViolations()).to.deep.equal([]);
  });

  browserIt('has no serious or critical axe violations on /demo with the widget open', async () => {
    await page.goto(`${base}/demo`);
    await page.locator('.launcher').click();
    await waitForWelcome(page.frameLocator('iframe'));
    expect(await seriousViolations()).to.deep.equal([]);
  });
});
