// Learning from unanswered questions (issue 13): the redaction patterns, the records the real bot writes
// with recording on (and nothing with it off), answer feedback on cards and as typed words, the Blob store
// against Azurite (two writers, retention), and `npm run report` as a real process.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ContainerClient } from '@azure/storage-blob';
import { MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { MedicineBot } from '../bots/medicineBot';
import { loadConfig } from '../config';
import { redact } from '../learning/redact';
import { createRecorderWith, createRecorder, offRecorder } from '../learning/recorder';
import {
  BlobRecordStore,
  FileRecordStore,
  parseLines,
  type LearningRecord,
  type RecordStore,
  type UnansweredRecord,
} from '../learning/records';
import { analyse, groupingTokens, jaccard } from '../learning/report/analyse';
import { AdaptiveCard, SerializationContext, Versions } from 'adaptivecards';
import { answerReply } from '../dialogs/faq';
import { replyAsCard, replyAsText, texts } from '../render/renderer';
import { createLogger, silentLogger } from '../shared/log';
import {
  cardActions,
  cardOf,
  cardTexts,
  createHarness,
  knowledge,
  textOf,
  type Harness,
} from './dialogs.harness';
import { faqOutcome } from './faqOutcome';
import { startAzurite, type Azurite } from './azurite';

const root = path.join(__dirname, '..');

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'records-'));
}

function readRecords(file: string): LearningRecord[] {
  return existsSync(file) ? parseLines(readFileSync(file, 'utf8')) : [];
}

/** A close call ("Did you mean"), with personal data around it that must not be recorded. */
const CLOSE_CALL = [
  'My name is Anna Smith, approval?',
  'My name is Anna Smith. how long?',
  'how long? anna@example.org',
].find((q) => faqOutcome(knowledge.kb, knowledge.matcher, q).part.reason === 'close-call')!;
/** An honest fallback with a name, a phone number, a date and an e-mail address in it. */
const FALLBACK =
  'Hi, my name is Jan. Can I drink alcohol with it? I started on 12/03/2026, call 0612 345 678 or jan@example.org';
const PERSONAL = [
  'Jan',
  'Anna',
  'Smith',
  '0612',
  '345 678',
  '12/03/2026',
  'jan@example.org',
  'anna@example.org',
];

describe('learning from unanswered questions', () => {
  describe('redaction patterns', () => {
    const cases: [string, string][] = [
      ['My name is Anna Smith, what are the side effects?', 'My name is [name], what are the side effects?'],
      ['my name is jan and I have a fever', 'my name is [name] and I have a fever'],
      ["I'm called Bob", "I'm called [name]"],
      ['This is Peter de Vries, can I drive?', 'This is [name], can I drive?'],
      ['write to anna.smith+imn@example.co.uk please', 'write to [email] please'],
      ['see https://example.org/a?b=1 and www.example.org', 'see [url] and [url]'],
      ['call me on +44 20 7946 0000', 'call me on [phone]'],
      ['my number is 0612345678', 'my number is [phone]'],
      ['I started on 12/03/2024', 'I started on [date]'],
      ['since 2024-03-12', 'since [date]'],
      ['from the 3rd of March 2025 to June 4', 'from the [date] to [date]'],
      ['I live in SW1A 1AA', 'I live in [postcode]'],
      ['postcode 1012 AB', 'postcode [postcode]'],
      ['in D-10115 Berlin', 'in [postcode] Berlin'],
      ['I take 4 mg for 21 days, cycle 2', 'I take [number] mg for [number] days, cycle [number]'],
    ];
    for (const [input, expected] of cases)
      it(`"${input}" → "${expected}"`, () => expect(redact(input)).to.equal(expected));

    it('leaves what patterns cannot know: names not introduced by a phrase, street names, health details', () => {
      expect(redact('Anna asked whether her myeloma will come back')).to.equal(
        'Anna asked whether her myeloma will come back',
      );
      expect(redact('I live at 12 Baker Street')).to.equal('I live at [number] Baker Street');
      expect(redact('I have diabetes and HIV')).to.equal('I have diabetes and HIV');
    });

    it('keeps ordinary questions whole, "call me back" included', () => {
      for (const q of ['can someone call me back', 'I am pregnant, what now?', 'what are the side effects?'])
        expect(redact(q)).to.equal(q);
    });
  });

  describe('configuration', () => {
    it('is off by default, with a local file, its own container and 90 days', () => {
      expect(loadConfig({}).recording).to.deep.equal({
        enabled: false,
        file: 'data/unanswered.jsonl',
        container: 'unanswered-questions',
        retentionDays: 90,
      });
      expect(createRecorder(loadConfig({}), silentLogger)).to.equal(offRecorder);
    });

    it('reads on/off, the file, the container and the retention, and refuses bad values', () => {
      const config = loadConfig({
        UNANSWERED_RECORDING: 'ON',
        UNANSWERED_FILE: '/tmp/x.jsonl',
        UNANSWERED_CONTAINER: 'records-1',
        UNANSWERED_RETENTION_DAYS: '30',
      });
      expect(config.recording).to.deep.equal({
        enabled: true,
        file: '/tmp/x.jsonl',
        container: 'records-1',
        retentionDays: 30,
      });
      expect(() => loadConfig({ UNANSWERED_RECORDING: 'yes' })).to.throw(/UNANSWERED_RECORDING/);
      expect(() => loadConfig({ UNANSWERED_RETENTION_DAYS: '0' })).to.throw(/UNANSWERED_RETENTION_DAYS/);
      expect(() => loadConfig({ UNANSWERED_CONTAINER: 'Bad_Name' })).to.throw(/UNANSWERED_CONTAINER/);
    });
  });

  describe('through the real bot, recording on', () => {
    let dir: string;
    let file: string;
    const on = (): Record<string, string> => ({ UNANSWERED_RECORDING: 'on', UNANSWERED_FILE: file });
    const settle = (h: Harness): Promise<void> => h.bot.recorder.flush();

    beforeEach(() => {
      dir = tempDir();
      file = path.join(dir, 'nested', 'unanswered.jsonl');
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('records a fallback and a "Did you mean" with route, candidates and time, no ids and no personal data', async () => {
      const h = createHarness('test', on());
      await h.say(FALLBACK);
      const suggested = await h.say(CLOSE_CALL);
      expect(textOf(suggested)).to.include(texts.suggestIntro);
      await settle(h);
      const records = readRecords(file) as UnansweredRecord[];
      expect(records.map((r) => [r.kind, r.route])).to.deep.equal([
        ['unanswered', 'fallback'],
        ['unanswered', 'suggested'],
      ]);
      const [fallback, suggestion] = records as [UnansweredRecord, UnansweredRecord];
      expect(fallback.text).to.include('Can I drink alcohol with it?');
      expect(fallback.text)
        .to.include('[name]')
        .and.include('[date]')
        .and.include('[phone]')
        .and.include('[email]');
      expect(fallback.parts[0]!.reason).to.equal('not-covered');
      const outcome = faqOutcome(knowledge.kb, knowledge.matcher, CLOSE_CALL);
      expect(suggestion.parts).to.have.length(1);
      expect(suggestion.parts[0]!.reason).to.equal('close-call');
      expect(suggestion.parts[0]!.candidates.map((c) => c.pairId)).to.deep.equal(
        outcome.part.suggestions.map((p) => p.id).slice(0, 3),
      );
      for (const c of suggestion.parts[0]!.candidates) expect(c.score).to.be.a('number').and.greaterThan(0);
      for (const r of records) {
        expect(Object.keys(r).sort()).to.deep.equal(['kind', 'parts', 'redaction', 'route', 'text', 'time']);
        expect(Date.parse(r.time)).to.be.closeTo(Date.now(), 60_000);
      }
      const raw = readFileSync(file, 'utf8');
      for (const p of PERSONAL) expect(raw).not.to.include(p);
      for (const id of [
        h.adapter.conversation.conversation.id,
        h.adapter.conversation.user?.id ?? 'user',
        'user',
        'conversation',
      ])
        expect(raw).not.to.include(`"${id}"`);
      expect(raw).not.to.match(/"(userId|conversationId|user|conversation|from|channelId)"/);
    });

    for (const channel of ['webchat', 'msteams'])
      it(`puts Helpful / Not helpful on a ${channel} answer card, records a press by pair id and acknowledges it`, async () => {
        const h = createHarness(channel, on());
        const replies = await h.say('What is Imnovid used for?');
        const card = cardOf(replies[replies.length - 1]);
        const feedback = cardActions(card).filter(
          (a) => (a.data as { feedback?: string } | undefined)?.feedback,
        );
        expect(feedback.map((a) => [a.type, a.title, a.data])).to.deep.equal([
          ['Action.Submit', texts.feedback.helpful, { feedback: 'helpful', pairId: 'what.overview' }],
          ['Action.Submit', texts.feedback.notHelpful, { feedback: 'not-helpful', pairId: 'what.overview' }],
        ]);
        expect(cardTexts(card)).to.include(texts.feedback.question);
        const ack = await h.submit({ feedback: 'not-helpful', pairId: 'what.overview' });
        expect(textOf(ack)).to.equal(texts.feedback.thanksNotHelpful);
        await settle(h);
        const records = readRecords(file);
        expect(records).to.have.length(1);
        expect(Object.keys(records[0]!).sort()).to.deep.equal(['kind', 'pairId', 'time', 'value']);
        expect(records[0]).to.include({ kind: 'feedback', pairId: 'what.overview', value: 'not-helpful' });
      });

    it('takes a typed "not helpful" right after an answer on a text channel, and only then', async () => {
      const h = createHarness('test', on());
      const answer = await h.say('What is Imnovid used for?');
      expect(textOf(answer)).to.include(texts.feedback.prompt);
      expect(textOf(await h.say('Not helpful!'))).to.equal(texts.feedback.thanksNotHelpful);
      // Not right after an answer any more: read as a message like any other.
      expect(textOf(await h.say('not helpful'))).not.to.equal(texts.feedback.thanksNotHelpful);
      await h.say('What are the side effects?');
      expect(textOf(await h.say('helpful'))).to.equal(texts.feedback.thanks);
      await settle(h);
      const feedback = readRecords(file).filter((r) => r.kind === 'feedback');
      expect(feedback.map((r) => [r.pairId, r.value])).to.deep.equal([
        ['what.overview', 'not-helpful'],
        ['risks.common-side-effects', 'helpful'],
      ]);
    });

    it('says in the welcome that recording is on', async () => {
      const h = createHarness('test', on());
      const replies = await h.send({
        type: 'conversationUpdate',
        membersAdded: [{ id: 'user', name: 'User' }],
      });
      expect(textOf(replies)).to.include(texts.recording.welcome);
    });

    it('never breaks a turn when the store fails, and logs the failure without text', async () => {
      const lines: string[] = [];
      const failing: RecordStore = {
        append: () => Promise.reject(new Error(`disk full ${FALLBACK}`)),
        readAll: async () => [],
        deleteBefore: async () => 0,
      };
      const log = createLogger('debug', (l) => lines.push(l));
      const recorder = createRecorderWith({ store: failing, retentionDays: 90, log });
      const bot = new MedicineBot({
        config: loadConfig({ LOG_LEVEL: 'error', ...on() }),
        medicines: [knowledge],
        storage: new MemoryStorage(),
        log: silentLogger,
        recorder,
      });
      const adapter = new TestAdapter((c) => bot.run(c), { channelId: 'test' });
      await adapter.processActivity({ type: 'message', text: FALLBACK });
      const replies = adapter.activeQueue.splice(0) as Partial<Activity>[];
      expect(textOf(replies)).to.include("I'm sorry, I can't answer that");
      await recorder.flush();
      expect(lines.map((l) => JSON.parse(l).event)).to.include('records.write_failed');
      for (const p of [...PERSONAL, 'alcohol', 'disk full']) expect(lines.join('\n')).not.to.include(p);
    });
  });

  describe('the feedback buttons in render/', () => {
    const pair = knowledge.kb.pairs.find((p) => p.id === 'use.dose')!;
    const ctx = {
      kb: knowledge.kb,
      leafletUrl: 'https://example.org/leaflet',
      emergencyNumber: '112',
      cards: true,
    };

    it('add a valid 1.5 card ending, and leave the rest of the card as it was', () => {
      const plain = replyAsCard(answerReply(knowledge.kb, pair), ctx) as {
        body: unknown[];
        fallbackText: string;
      };
      const asked = replyAsCard(
        { ...answerReply(knowledge.kb, pair), feedback: { pairId: pair.id } },
        ctx,
      ) as {
        body: unknown[];
      };
      expect(asked.body.slice(0, -2)).to.deep.equal(plain.body);
      const card = new AdaptiveCard();
      const context = new SerializationContext(Versions.v1_5);
      card.parse(asked, context);
      const problems: string[] = [];
      for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
      for (const event of card.validateProperties().validationEvents) problems.push(event.message);
      expect(problems).to.deep.equal([]);
    });

    it('ask in words on text channels', () => {
      const text = replyAsText(
        { ...answerReply(knowledge.kb, pair), feedback: { pairId: pair.id } },
        {
          ...ctx,
          cards: false,
        },
      );
      expect(text.endsWith(texts.feedback.prompt)).to.equal(true);
    });
  });

  describe('through the real bot, recording off', () => {
    it('writes nothing, shows no feedback buttons and leaves the welcome as it is', async () => {
      const dir = tempDir();
      const file = path.join(dir, 'unanswered.jsonl');
      try {
        const h = createHarness('webchat', { UNANSWERED_FILE: file });
        expect(h.bot.recorder.enabled).to.equal(false);
        await h.say(FALLBACK);
        await h.say(CLOSE_CALL);
        const replies = await h.say('What is Imnovid used for?');
        const card = cardOf(replies[replies.length - 1]);
        expect(
          cardActions(card).some((a) => (a.data as { feedback?: string } | undefined)?.feedback),
        ).to.equal(false);
        expect(cardTexts(card)).not.to.include(texts.feedback.question);
        // A stale button press is still acknowledged, and not recorded.
        expect(textOf(await h.submit({ feedback: 'helpful', pairId: 'what.overview' }))).to.equal(
          texts.feedback.thanks,
        );
        const welcome = await h.send({
          type: 'conversationUpdate',
          membersAdded: [{ id: 'user', name: 'User' }],
        });
        expect(JSON.stringify(welcome)).not.to.include(texts.recording.welcome.slice(0, 40));
        const text = createHarness('test', { UNANSWERED_FILE: file });
        expect(textOf(await text.say('What is Imnovid used for?'))).not.to.include(texts.feedback.prompt);
        await h.bot.recorder.flush();
        expect(existsSync(file)).to.equal(false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('the file store', () => {
    it('deletes records older than the retention on start-up, keeping the rest and later appends', async () => {
      const dir = tempDir();
      const file = path.join(dir, 'unanswered.jsonl');
      try {
        const now = new Date('2026-11-28T12:00:00Z');
        const old = {
          kind: 'feedback',
          time: '2026-08-01T00:00:00.000Z',
          pairId: 'use.dose',
          value: 'helpful',
        };
        const recent = { ...old, time: '2026-11-01T00:00:00.000Z' };
        writeFileSync(file, `${JSON.stringify(old)}\n${JSON.stringify(recent)}\n`);
        const recorder = createRecorderWith({
          store: new FileRecordStore(file),
          retentionDays: 90,
          log: silentLogger,
          now: () => now,
          sweepDaily: true,
        });
        recorder.feedback('use.forms', 'not-helpful');
        await recorder.close();
        expect(readRecords(file).map((r) => r.time)).to.deep.equal([recent.time, now.toISOString()]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('Azure Blob Storage (Azurite)', function () {
    this.timeout(30_000);
    let azurite: Azurite;

    before(async () => {
      azurite = await startAzurite();
    });
    after(async () => azurite?.stop());

    it('lands records from two writers in one append blob of the day', async () => {
      const container = `records-two-${process.pid}`;
      const config = loadConfig({
        UNANSWERED_RECORDING: 'on',
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        UNANSWERED_CONTAINER: container,
      });
      const a = createRecorder(config, silentLogger, false);
      const b = createRecorder(config, silentLogger, false);
      a.feedback('use.dose', 'helpful');
      b.feedback('use.dose', 'not-helpful');
      a.unanswered({ route: 'fallback', text: 'can I drink alcohol, I am Jan? 0612345678', parts: [] });
      b.feedback('use.forms', 'helpful');
      await Promise.all([a.close(), b.close()]);
      const client = new ContainerClient(azurite.connectionString, container);
      const names: string[] = [];
      for await (const blob of client.listBlobsFlat()) names.push(`${blob.name}:${blob.properties.blobType}`);
      expect(names).to.deep.equal([`records/${new Date().toISOString().slice(0, 10)}.jsonl:AppendBlob`]);
      const records = await BlobRecordStore.fromConnectionString(
        azurite.connectionString,
        container,
      ).readAll();
      expect(records).to.have.length(4);
      expect(
        records
          .filter((r) => r.kind === 'feedback')
          .map((r) => r.value)
          .sort(),
      ).to.deep.equal(['helpful', 'helpful', 'not-helpful']);
      expect(JSON.stringify(records)).not.to.include('0612345678');
    });

    it('deletes the day blobs older than the retention and keeps the rest', async () => {
      const container = `records-old-${process.pid}`;
      const client = new ContainerClient(azurite.connectionString, container);
      const at = (day: string) =>
        new BlobRecordStore(client, () => new Date(`${day}T12:00:00Z`)).append([
          { kind: 'feedback', time: `${day}T12:00:00.000Z`, pairId: 'use.dose', value: 'helpful' },
        ]);
      await at('2026-08-01');
      await at('2026-08-29');
      await at('2026-11-27');
      await at('2026-11-28');
      const recorder = createRecorderWith({
        store: new BlobRecordStore(client),
        retentionDays: 90,
        log: silentLogger,
        now: () => new Date('2026-11-28T12:00:00Z'),
        sweepDaily: true,
      });
      await recorder.close();
      const names: string[] = [];
      for await (const blob of client.listBlobsFlat()) names.push(blob.name);
      expect(names.sort()).to.deep.equal(['records/2026-11-27.jsonl', 'records/2026-11-28.jsonl']);
    });
  });

  describe('npm run report', function () {
    this.timeout(60_000);
    const fixture = path.join(root, 'test', 'data', 'unanswered-records.jsonl');

    it('groups near-duplicate questions by the matcher’s tokens', () => {
      const tokens = groupingTokens((t) => knowledge.matcher.analyse(t));
      expect(
        jaccard(
          new Set(tokens('can I drink alcohol with imnovid?')),
          new Set(tokens('Can I drink alcohol while taking it')),
        ),
      ).to.be.at.least(0.5);
      expect(
        jaccard(new Set(tokens('can I drink alcohol')), new Set(tokens('can I eat grapefruit'))),
      ).to.be.below(0.5);
      const report = analyse(parseLines(readFileSync(fixture, 'utf8')), { tokens });
      expect(report.groups[0]).to.include({ count: 5 });
      expect(report.worstPairs[0]).to.include({ pairId: 'use.dose', helpful: 1, notHelpful: 3 });
      expect(report.alternates).to.deep.equal([
        { pairId: 'use.forms', phrasings: [{ text: 'what colour are the capsules', count: 2 }] },
      ]);
    });

    it('prints the grouped questions, the worst pairs and alternate phrasings from a file', () => {
      const result = spawnSync(
        path.join(root, 'node_modules', '.bin', 'tsx'),
        ['learning/report/cli.ts', '--file', fixture],
        {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, AZURE_STORAGE_CONNECTION_STRING: '', LOG_LEVEL: 'error' },
          timeout: 50_000,
        },
      );
      expect(result.status, result.stderr).to.equal(0);
      const out = result.stdout;
      expect(out).to.include('Records: 21 (12 unanswered or "Did you mean", 9 feedback)');
      expect(out).to.include('1. 5 × “can I drink alcohol with imnovid?” [fallback 5]');
      expect(out).to.include('also: “Can I drink alcohol while taking it”');
      expect(out).to.include('2 × “can I eat grapefruit” [fallback 2]');
      const worst = out.slice(out.indexOf('worst helpful ratio'));
      expect(worst).to.match(/use\.dose \(.*\): 1 helpful, 3 not helpful \(25 % helpful\)/);
      expect(worst.indexOf('use.dose')).to.be.below(worst.indexOf('risks.common-side-effects'));
      expect(worst).not.to.include('what.overview (');
      expect(out).to.include('2 × “what colour are the capsules”');
    });
  });
});
