// Several medicines served by the real app over HTTP: /healthz, the chat page's names, a conversation on
// the local Direct Line channel (asking which medicine, the choice, an answer side by side), and a
// misconfigured MEDICINES refused at start-up in one line.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createApp, type App } from '../index';
import { loadConfig } from '../config';
import { listen } from '../server/app';
import { silentLogger } from '../shared/log';
import { loadMedicine } from '../knowledge/load';
import { texts } from '../render/renderer';
import safetyPatterns from '../safety/patterns.json';
import type { WireActivity } from '../channels/directline';
import { testMedicinesDir } from './fixtures/medicines';

const SERVED = 'imnovid,zentravo,corvalin';
const ROOT = resolve(__dirname, '..');

/** One line of a card as a patient sees it: a text (bold or not) or a button, in the card's order. */
type Line = { text: string; bold: boolean } | { button: string; sends: unknown };

interface CardElement {
  type: string;
  text?: string;
  weight?: string;
  items?: CardElement[];
  body?: CardElement[];
  actions?: { type: string; title: string; data?: unknown; card?: CardElement }[];
}

/** A card's lines, walking containers, action sets and the cards "Show more" opens. */
function linesOf(elements: CardElement[] = []): Line[] {
  return elements.flatMap((el): Line[] => {
    if (el.type === 'TextBlock') return [{ text: el.text ?? '', bold: el.weight === 'Bolder' }];
    if (el.type === 'Container') return linesOf(el.items);
    if (el.type === 'ActionSet')
      return (el.actions ?? []).flatMap((a) =>
        a.type === 'Action.ShowCard' ? linesOf(a.card?.body) : [{ button: a.title, sends: a.data }],
      );
    return [];
  });
}

/** The card of a bot message (every reply here is one Adaptive Card). */
function cardOf(activity: WireActivity): CardElement {
  const [attachment] = (activity as { attachments?: { contentType: string; content: CardElement }[] })
    .attachments!;
  expect(attachment!.contentType).to.equal('application/vnd.microsoft.card.adaptive');
  return attachment!.content;
}

const textsOf = (lines: Line[]): string[] => lines.flatMap((l) => ('text' in l ? [l.text] : []));
const buttonsOf = (lines: Line[]): Extract<Line, { button: string }>[] =>
  lines.flatMap((l) => ('button' in l ? [l] : []));

/** A JSON request (test/directline's helpers are not imported: test/directline imports test/). */
async function http(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface Started {
  conversationId: string;
  token: string;
}

async function startConversation(base: string): Promise<Started> {
  const response = await http(base, 'POST', '/v3/directline/conversations', { body: {} });
  expect(response.status).to.equal(201);
  return response.body as unknown as Started;
}

/** Every activity of the conversation so far, as a Direct Line client reads them. */
async function activities(base: string, started: Started): Promise<WireActivity[]> {
  const path = `/v3/directline/conversations/${started.conversationId}/activities`;
  const response = await http(base, 'GET', path, { token: started.token });
  expect(response.status).to.equal(200);
  return response.body.activities as WireActivity[];
}

/** Posts a message as Web Chat does (typed: text; a card button: its data as the value, no text). */
async function post(base: string, started: Started, message: { text?: string; value?: unknown }) {
  const path = `/v3/directline/conversations/${started.conversationId}/activities`;
  const body = { type: 'message', from: { id: 'patient', role: 'user' }, ...message };
  const response = await http(base, 'POST', path, { token: started.token, body });
  expect(response.status).to.equal(200);
  return response.body.id as string;
}

describe('several medicines over HTTP', function () {
  // Building the test medicines from their PDFs (once per process) can take a while on a busy machine.
  this.timeout(60_000);

  let dir: string;
  const apps: App[] = [];

  async function start(env: Record<string, string> = {}): Promise<{ app: App; base: string }> {
    const app = createApp(
      loadConfig({ LOG_LEVEL: 'error', MEDICINES_DIR: dir, MEDICINES: SERVED, ...env }),
      silentLogger,
    );
    apps.push(app);
    return { app, base: `http://127.0.0.1:${await listen(app.server, 0)}` };
  }

  before(async () => {
    dir = await testMedicinesDir();
  });

  after(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('/healthz lists the three knowledge bases with their versions, and no single knowledgeBase', async () => {
    const { base } = await start();
    const { status, body } = await http(base, 'GET', '/healthz');
    expect(status).to.equal(200);
    expect(body.status).to.equal('ok');
    expect(body).not.to.have.property('knowledgeBase');
    const bases = body.knowledgeBases as { medicine: string; lastUpdated: string; version: string }[];
    expect(bases.map((b) => [b.medicine, b.lastUpdated])).to.deep.equal([
      ['Imnovid', '04-2019'],
      ['Zentravo', '06-2024'],
      ['Corvalin', '11-2021'],
    ]);
    for (const b of bases) expect(b.version, b.medicine).to.match(/^[0-9a-f]{12}$/);
    expect(new Set(bases.map((b) => b.version)).size).to.equal(3);
    // The copied Imnovid folder reports the version of the committed one: same pairs, same hash.
    expect(bases[0]!.version).to.equal(loadMedicine('imnovid').info.version);
  });

  it('names the chat page and the widget generically, or as DEPLOYMENT_NAME and LAUNCHER_TEXT say', async () => {
    const generic = await (await fetch(`${(await start()).base}/`)).text();
    expect(generic).to.contain('<title>Medicine information: questions about your medicines</title>');
    expect(generic).to.contain('<h1 class="page-title">Medicine information</h1>');
    // One leaflet in the header would be one medicine's: with several, none.
    expect(generic).not.to.contain('page-leaflet');

    const named = await start({ DEPLOYMENT_NAME: 'St Example Pharmacy', LAUNCHER_TEXT: 'Ask our pharmacy' });
    const page = await (await fetch(`${named.base}/`)).text();
    expect(page).to.contain('<title>St Example Pharmacy: questions about your medicines</title>');
    expect(page).to.contain('<h1 class="page-title">St Example Pharmacy</h1>');
    const demo = await (await fetch(`${named.base}/demo`)).text();
    expect(demo).to.contain('data-title="Ask our pharmacy"');
    for (const name of ['Imnovid (pomalidomide)', 'Zentravo (lumivastat)', 'Corvalin (tessoparin)'])
      expect(demo).to.contain(name);
  });

  it('on Direct Line: asks which medicine, answers from the one chosen, then two medicines side by side', async () => {
    const { app, base } = await start();
    const started = await startConversation(base);

    /** Sends, waits for the bot's turn to end, and returns the lines of its one reply card. */
    const turn = async (message: { text?: string; value?: unknown }): Promise<Line[]> => {
      const id = await post(base, started, message);
      await app.directLine!.settled();
      const replies = (await activities(base, started)).filter(
        (a) => a.type === 'message' && (a as { replyToId?: string }).replyToId === id,
      );
      expect(replies).to.have.length(1);
      return linesOf(cardOf(replies[0]!).body);
    };

    const ask = await turn({ text: 'what are the most common side effects?' });
    expect(textsOf(ask)).to.deep.equal([texts.medicines.ask]);
    const choices = buttonsOf(ask);
    expect(choices.map((b) => b.button)).to.deep.equal([
      'Imnovid (pomalidomide)',
      'Zentravo (lumivastat)',
      'Corvalin (tessoparin)',
    ]);

    // The patient taps "Zentravo (lumivastat)": Web Chat posts the button's data, without text.
    const chosen = await turn({ value: choices[1]!.sends });
    const answer = textsOf(chosen);
    expect(answer[0]).to.contain('headache and nausea');
    expect(answer).to.include('Source: EMA overview of Zentravo, June 2024.');
    expect(answer.join('\n')).not.to.match(/Imnovid|Corvalin/);
    // The question's safety line waited in conversation state with it, and comes with the answer.
    expect(answer.join('\n')).to.contain(safetyPatterns.information.message.text.split('{')[0]);

    const both = await turn({ text: 'what are the common side effects of imnovid and zentravo?' });
    expect(textsOf(both)[0]).to.equal(texts.medicines.sideBySide);
    // Each medicine under its bold label, its answer, then its own source line before the next label.
    const labels = both.flatMap((l, i) => ('text' in l && l.bold ? [i] : []));
    expect(labels.map((i) => (both[i] as { text: string }).text)).to.deep.equal([
      'Imnovid (pomalidomide)',
      'Zentravo (lumivastat)',
    ]);
    const imnovid = textsOf(both.slice(labels[0]! + 1, labels[1]));
    const zentravo = textsOf(both.slice(labels[1]! + 1));
    expect(imnovid.join('\n')).to.contain('neutropenia');
    expect(imnovid).to.include('Source: EMA overview of Imnovid, April 2019.');
    expect(zentravo[0]).to.contain('headache and nausea');
    expect(zentravo).to.include('Source: EMA overview of Zentravo, June 2024.');
    expect(zentravo.join('\n')).not.to.contain('Imnovid, April 2019');
  });

  describe('a misconfigured MEDICINES', () => {
    it('naming a folder that does not exist: createApp throws, saying which and where', async () => {
      expect(() =>
        createApp(
          loadConfig({ LOG_LEVEL: 'error', MEDICINES_DIR: dir, MEDICINES: 'imnovid,nosuch' }),
          silentLogger,
        ),
      ).to.throw(`no medicine "nosuch" under ${dir}`);
    });

    it('with a path in it (bad/../id): refused by the configuration before any folder is read', () => {
      expect(() => loadConfig({ MEDICINES: 'imnovid,bad/../id' })).to.throw(
        'MEDICINES: "bad/../id" is not a medicine folder name (a-z, 0-9, -)',
      );
    });

    it('started as npm start runs it: one "Cannot start" line, no stack trace, exit code 1', async () => {
      /** index.ts in a child process with only these settings (no .env, a port of its own). */
      const run = (
        env: Record<string, string>,
      ): Promise<{ code: number | null; stdout: string; stderr: string }> =>
        new Promise((done) => {
          const child = spawn(process.execPath, ['--import', 'tsx', 'index.ts'], {
            cwd: ROOT,
            env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          // 'close', not 'exit': by then both pipes are read to the end.
          child.on('close', (code) => done({ code, stdout, stderr }));
        });
      const [missing, path] = await Promise.all([
        run({ MEDICINES_DIR: dir, MEDICINES: 'imnovid,nosuch' }),
        run({ MEDICINES_DIR: dir, MEDICINES: 'bad/../id' }),
      ]);
      // Node's own deprecation warnings (restify's) may come first; what the app prints is one line.
      const ours = (stderr: string): string[] =>
        stderr.split('\n').filter((l) => l !== '' && !/^\(node:\d+\)|^\(Use `node /.test(l));
      expect(ours(missing.stderr)).to.deep.equal([`Cannot start: no medicine "nosuch" under ${dir}`]);
      expect(ours(path.stderr)).to.deep.equal([
        'Cannot start: MEDICINES: "bad/../id" is not a medicine folder name (a-z, 0-9, -)',
      ]);
      for (const result of [missing, path]) {
        expect(result.code).to.equal(1);
        expect(result.stdout).to.equal('');
        expect(result.stderr).not.to.match(/^\s+at /m);
      }
    });
  });
});
