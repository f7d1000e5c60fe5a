// The pharmacy helpdesk (issue 13) through the real bot: asking for a person, two fallbacks in a row,
// the handoff event a contact-centre hub receives, its status events, and reporting a side effect.
// Cards are parsed and validated with Microsoft's adaptivecards library; the tel: links are checked.
import { expect } from 'chai';
import { AdaptiveCard, SerializationContext, Versions } from 'adaptivecards';
import { ActivityTypes, type Activity } from 'botbuilder';
import texts from '../../render/texts.json';
import patterns from '../../safety/patterns.json';
import { fillPlaceholders } from '../../render/placeholders';
import { templateValues } from '../../render/renderer';
import { TRANSCRIPT_LENGTH, type HandoffSummary } from '../../dialogs/helpdesk';
import type { TranscriptEntry } from '../../dialogs/services';
import {
  createHarness,
  cardOf,
  cardActions,
  cardTexts,
  textOf,
  buttonsOf,
  type Card,
} from '../dialogs.harness';
import { kb, FALLBACK } from './helpers';

const CONTACTS = [
  {
    name: 'Hospital pharmacy',
    phone: '+44 20 7946 0000',
    hours: 'Mon-Fri 9:00-17:00',
    url: 'https://pharmacy.example.org/',
  },
  { name: 'Myeloma treatment centre', phone: '020 7946 0999' },
  { name: 'Patient helpline', url: 'https://help.example.org/imnovid' },
];
const HELPDESK_ENV = { HELPDESK_CONTACTS: JSON.stringify(CONTACTS), HELPDESK_HANDOFF: 'on' };
const REPORTING_URL = 'https://yellowcard.example.org/';

const filled = (text: string): string =>
  fillPlaceholders(text, templateValues({ kb, emergencyNumber: '112' }));

const PERSON_REQUESTS = [
  'talk to a pharmacist',
  'Can I speak to someone?',
  'call me back',
  'I want a human',
  'real person please',
  "Hi, I'd like to speak to a real person",
  'is there someone I can talk to?',
  'could someone call me back please',
  'how do I contact the pharmacy?',
];

const NOT_PERSON_REQUESTS = [
  "can I take it if I'm seeing a pharmacist",
  'should I talk to my pharmacist before taking it?',
  'what are the side effects?',
];

const REPORT_REQUESTS = [
  'where do I report a side effect',
  'I want to report a reaction',
  'how do I report an adverse event?',
  'how can I report side effects?',
];

const SIDE_EFFECT_QUESTIONS = [
  'is tiredness a reported side effect?',
  'what side effects have been reported?',
];

/** Everything the adaptivecards library objects to when it parses and validates the card for 1.5. */
function cardProblems(card: Card): string[] {
  const parsed = new AdaptiveCard();
  const context = new SerializationContext(Versions.v1_5);
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  for (const event of parsed.validateProperties().validationEvents) problems.push(event.message);
  return problems;
}

const urls = (card: Card): string[] =>
  cardActions(card)
    .filter((a) => a.type === 'Action.OpenUrl')
    .map((a) => String(a.url));

const submits = (card: Card): string[] =>
  cardActions(card)
    .filter((a) => a.type === 'Action.Submit')
    .map((a) => String(a.title));

/** The helpdesk card with the three configured contacts: tap-to-call, links, and the connect button. */
function expectHelpdeskCard(reply: Partial<Activity> | undefined): Card {
  const card = cardOf(reply);
  expect(cardProblems(card)).to.deep.equal([]);
  // A round trip through JSON, as the channel gets it: tel: numbers without their spaces.
  const json = JSON.parse(JSON.stringify(card)) as Card;
  expect(urls(json)).to.include.members(['tel:+442079460000', 'tel:02079460999']);
  expect(urls(json)).to.include.members([
    'https://pharmacy.example.org/',
    'https://help.example.org/imnovid',
  ]);
  const call = cardActions(json).find((a) => a.url === 'tel:+442079460000')!;
  expect(call.title).to.include('+44 20 7946 0000');
  expect(cardTexts(json)).to.include.members([
    'Hospital pharmacy',
    'Myeloma treatment centre',
    'Patient helpline',
  ]);
  expect(cardTexts(json).join('\n')).to.include('Mon-Fri 9:00-17:00');
  expect(submits(json)).to.deep.equal([texts.helpdesk.connect]);
  // Every phone number in the card is on a tel: action, never bare text.
  expect(cardTexts(json).join('\n')).not.to.include('7946');
  expect(json.fallbackText).to.include('tel:+442079460000');
  expect(json.fallbackText).not.to.include(texts.fallback.slice(0, 30));
  return json;
}

describe('pharmacy helpdesk: reaching a person', () => {
  it('without a contact-centre hub (HELPDESK_HANDOFF off, the default) offers no "Connect me" and keeps no transcript', async () => {
    const h = createHarness('test', { HELPDESK_CONTACTS: JSON.stringify(CONTACTS) });
    const replies = await h.say('can I talk to a pharmacist');
    expect(textOf(replies)).to.include('+44 20 7946 0000');
    expect(JSON.stringify(replies)).not.to.include(texts.helpdesk.connect);
    // An old "Connect me" pressed anyway gets the contacts again, and no handoff event.
    const again = await h.say(texts.helpdesk.connect);
    expect(again.some((r) => r.type === 'event')).to.equal(false);
    expect(textOf(again)).to.include('+44 20 7946 0000');
  });

  for (const says of PERSON_REQUESTS) {
    it(`"${says}" offers the helpdesk card with tap-to-call`, async () => {
      const h = createHarness('webchat', HELPDESK_ENV);
      const replies = await h.say(says);
      expect(replies).to.have.length(1);
      const card = expectHelpdeskCard(replies[0]);
      expect(cardTexts(card)[0]).to.equal(texts.helpdesk.person);
      expect(h.matcherCalls, 'a person request is not matched against the overview').to.deep.equal([]);
    });
  }

  it('a text channel gets the numbers with their tel: links, the hours and the pages, and the connect button', async () => {
    const h = createHarness('test', HELPDESK_ENV);
    const replies = await h.say('can I speak to someone');
    expect(replies).to.have.length(1);
    expect(replies[0]!.attachments ?? []).to.deep.equal([]);
    const text = textOf(replies);
    expect(text).to.include(texts.helpdesk.person);
    expect(text).to.include(texts.helpdesk.contactsIntro);
    for (const line of [
      'Hospital pharmacy',
      'Phone: +44 20 7946 0000 (tel:+442079460000)',
      'Opening hours: Mon-Fri 9:00-17:00',
      'Website: https://pharmacy.example.org/',
      'Phone: 020 7946 0999 (tel:02079460999)',
      'Website: https://help.example.org/imnovid',
    ])
      expect(text).to.include(line);
    expect(buttonsOf(replies)).to.deep.equal([
      { title: texts.helpdesk.connect, value: texts.helpdesk.connect },
    ]);
  });

  it('a Teams channel conversation gets the card with its buttons (no suggested actions there)', async () => {
    const h = createHarness('msteams', HELPDESK_ENV);
    const replies = await h.send({
      // A card button's messageBack: addressed to the bot without an @mention.
      text: 'talk to a pharmacist',
      value: { text: 'talk to a pharmacist' },
      conversation: { id: '19:team@thread.tacv2', name: 'Team', conversationType: 'channel', isGroup: true },
    });
    expect(replies).to.have.length(1);
    const card = expectHelpdeskCard(replies[0]);
    expect(replies[0]!.suggestedActions).to.equal(undefined);
    expect(cardTexts(card)[0]).to.equal(texts.helpdesk.person);
  });

  it('with no contacts configured, the reply names the treating doctor or pharmacist, never "not covered"', async () => {
    for (const channel of ['test', 'webchat']) {
      const h = createHarness(channel, { HELPDESK_HANDOFF: 'on' });
      const replies = await h.say('I want to talk to a real person');
      expect(replies).to.have.length(1);
      const text = channel === 'test' ? textOf(replies) : cardTexts(cardOf(replies[0])).join('\n\n');
      expect(text, channel).to.include(texts.helpdesk.noContacts);
      expect(text, channel).not.to.include(texts.helpdesk.contactsIntro);
      expect(text, channel).not.to.include(FALLBACK);
      expect(text, channel).not.to.match(/doesn.t cover|not covered/i);
    }
  });

  for (const says of NOT_PERSON_REQUESTS) {
    it(`"${says}" is a question, not a request for a person`, async () => {
      const h = createHarness('test', HELPDESK_ENV);
      const text = textOf(await h.say(says));
      expect(text).not.to.include(texts.helpdesk.person);
      expect(text).not.to.include(texts.helpdesk.contactsIntro);
    });
  }

  it('safety still comes first: "I want to talk to someone, I took ten capsules" gets the emergency reply', async () => {
    const h = createHarness('test', HELPDESK_ENV);
    const replies = await h.say('I want to talk to someone, I took ten capsules');
    const overdose = patterns.categories.find((c) => c.category === 'overdose')!;
    expect(replies).to.have.length(1);
    expect(textOf(replies)).to.equal(filled(overdose.message.text));
    expect(textOf(replies)).not.to.include(texts.helpdesk.person);
  });

  it('two honest fallbacks in a row offer the helpdesk with the second; an answer in between starts the count again', async () => {
    const h = createHarness('test', HELPDESK_ENV);
    const first = await h.say('can I drink wine with it?');
    expect(textOf(first)).to.include(FALLBACK);
    expect(textOf(first)).not.to.include(texts.helpdesk.afterFallbacks);

    const second = await h.say('can I drink beer with it?');
    expect(second).to.have.length(1);
    expect(textOf(second)).to.include(FALLBACK);
    expect(textOf(second)).to.include(texts.helpdesk.afterFallbacks);
    expect(textOf(second)).to.include('tel:+442079460000');
    expect(buttonsOf(second)).to.deep.equal([
      { title: texts.helpdesk.connect, value: texts.helpdesk.connect },
    ]);

    // The offer is made once: the next fallback starts a new run.
    expect(textOf(await h.say('can I drink whisky with it?'))).not.to.include(texts.helpdesk.afterFallbacks);
    expect(textOf(await h.say('what are the side effects?'))).not.to.include(FALLBACK);
    expect(textOf(await h.say('can I drink gin with it?'))).not.to.include(texts.helpdesk.afterFallbacks);
  });

  it('two fallbacks in a row on a card channel: the fallback and the helpdesk card together', async () => {
    const h = createHarness('webchat', HELPDESK_ENV);
    await h.say('can I drink wine with it?');
    const replies = await h.say('can I drink beer with it?');
    expect(replies).to.have.length(1);
    const card = cardOf(replies[0]);
    expect(cardProblems(card)).to.deep.equal([]);
    expect(cardTexts(card)).to.include(FALLBACK);
    expect(cardTexts(card)).to.include(texts.helpdesk.afterFallbacks);
    expect(urls(card)).to.include('tel:+442079460000');
    expect(submits(card)).to.deep.equal([texts.helpdesk.connect]);
  });
});

/** The handoff event the bot sent, with its value and transcript. */
function handoffOf(replies: Partial<Activity>[]): {
  summary: HandoffSummary;
  transcript: TranscriptEntry[];
  event: Partial<Activity>;
} {
  const events = replies.filter((r) => r.type === ActivityTypes.Event);
  expect(events).to.have.length(1);
  const event = events[0]!;
  expect(event.name).to.equal('handoff.initiate');
  const attachment = (event.attachments ?? []).find((a) => a.name === 'Transcript');
  expect(attachment?.contentType).to.equal('application/json');
  const transcript = (attachment!.content as { activities: TranscriptEntry[] }).activities;
  return { summary: event.value as HandoffSummary, transcript, event };
}

describe('pharmacy helpdesk: handoff to a person', () => {
  it('accepting the offer sends handoff.initiate with the summary and the recent transcript', async () => {
    const h = createHarness('test', HELPDESK_ENV);
    await h.say('what are the side effects?');
    await h.say('how do I take it with dexamethasone only');
    await h.say('my husband wants to ask a question, can I talk to a pharmacist');
    const offer = await h.say('I want to talk to a real person');
    expect(textOf(offer)).to.include(texts.helpdesk.person);

    const replies = await h.say(texts.helpdesk.connect);
    const { summary, transcript, event } = handoffOf(replies);
    expect(event.conversation?.id).to.equal(h.adapter.conversation.conversation.id);
    expect(summary.reason).to.equal('person-request');
    expect(summary.topics).to.deep.equal(['risks.common-side-effects', 'use.schedule-dexamethasone']);
    expect(summary.channelId).to.equal('test');
    expect(summary.messages).to.equal(transcript.length);
    // No free text of the patient in the summary: ids, a reason and counts only.
    const said = ['side effects', 'dexamethasone only', 'husband', 'real person'];
    for (const words of said) expect(JSON.stringify(summary)).not.to.include(words);
    expect(Object.keys(summary).sort()).to.deep.equal(['channelId', 'messages', 'reason', 'topics']);

    // The transcript: the last messages both ways, oldest first, ending with the acceptance.
    expect(transcript.length).to.be.at.most(TRANSCRIPT_LENGTH);
    expect(transcript.at(-1)).to.include({ text: texts.helpdesk.connect });
    expect(transcript.at(-1)!.from.role).to.equal('user');
    const userTexts = transcript.filter((e) => e.from.role === 'user').map((e) => e.text);
    expect(userTexts).to.deep.equal([
      'what are the side effects?',
      'how do I take it with dexamethasone only',
      'my husband wants to ask a question, can I talk to a pharmacist',
      'I want to talk to a real person',
      texts.helpdesk.connect,
    ]);
    expect(transcript.filter((e) => e.from.role === 'bot')).to.have.length(4);
    // The bot's card replies as their plain text, cut to bound the state.
    const firstAnswer = kb.pairs.find((p) => p.id === 'risks.common-side-effects')!.answer[0]!;
    expect(transcript.find((e) => e.from.role === 'bot')!.text).to.include(firstAnswer.slice(0, 80));
    for (const entry of transcript) expect(entry.text.length).to.be.at.most(501);

    // And the patient is told.
    const messages = replies.filter((r) => r.type === ActivityTypes.Message);
    expect(textOf(messages)).to.include(filled(texts.helpdesk.requested));
  });

  it('the transcript keeps only the last few messages', async () => {
    const h = createHarness('test', HELPDESK_ENV);
    for (let i = 0; i < 8; i++) await h.say('what are the side effects?');
    await h.say('call me back');
    const { transcript } = handoffOf(await h.say(texts.helpdesk.connect));
    expect(transcript).to.have.length(TRANSCRIPT_LENGTH);
    expect(transcript.at(-1)!.text).to.equal(texts.helpdesk.connect);
  });

  it('after two fallbacks the reason is the repeated fallbacks, and the card button works as Web Chat posts it', async () => {
    const h = createHarness('webchat', HELPDESK_ENV);
    await h.say('can I drink wine with it?');
    const offer = await h.say('can I drink beer with it?');
    const connect = cardActions(cardOf(offer[0])).find((a) => a.type === 'Action.Submit')!;
    const replies = await h.submit(connect.data);
    const { summary, transcript } = handoffOf(replies);
    expect(summary.reason).to.equal('repeated-fallbacks');
    expect(summary.topics).to.deep.equal([]);
    expect(JSON.stringify(summary)).not.to.match(/wine|beer/);
    expect(transcript.map((e) => e.text).join('\n')).to.include('can I drink beer with it?');
  });

  for (const [state, line] of Object.entries(texts.helpdesk.status)) {
    it(`a handoff.status event "${state}" is acknowledged with its fixed wording`, async () => {
      const h = createHarness('test', HELPDESK_ENV);
      const replies = await h.send({ type: ActivityTypes.Event, name: 'handoff.status', value: { state } });
      expect(replies).to.have.length(1);
      const text = textOf(replies);
      expect(text.startsWith(filled(line))).to.equal(true);
      if (state === 'failed') expect(text).to.include('Phone: +44 20 7946 0000 (tel:+442079460000)');
      else expect(text).not.to.include('tel:');
    });
  }

  it('a handoff.status event with an unknown state, and other events, get no reply', async () => {
    const h = createHarness('test', HELPDESK_ENV);
    expect(
      await h.send({ type: ActivityTypes.Event, name: 'handoff.status', value: { state: 'weird' } }),
    ).to.deep.equal([]);
    expect(await h.send({ type: ActivityTypes.Event, name: 'handoff.status' })).to.deep.equal([]);
    expect(await h.send({ type: ActivityTypes.Event, name: 'something.else', value: {} })).to.deep.equal([]);
  });

  it('a failed handoff with no contacts configured names the doctor or pharmacist', async () => {
    const h = createHarness('test');
    const text = textOf(
      await h.send({ type: ActivityTypes.Event, name: 'handoff.status', value: { state: 'failed' } }),
    );
    expect(text).to.include(texts.helpdesk.status.failed);
    expect(text).to.include(texts.helpdesk.noContacts);
  });
});

describe('pharmacy helpdesk: reporting a side effect', () => {
  for (const says of REPORT_REQUESTS) {
    it(`"${says}" gets the fixed reply with the reporting link when configured`, async () => {
      const h = createHarness('test', { SIDE_EFFECT_REPORTING_URL: REPORTING_URL });
      const text = textOf(await h.say(says));
      for (const line of texts.reportSideEffect.intro) expect(text).to.include(filled(line));
      expect(text).to.include(`${texts.reportSideEffect.action}: ${REPORTING_URL}`);
      expect(h.matcherCalls).to.deep.equal([]);
    });
  }

  it('on a card channel the reporting page is a link action beside the leaflet', async () => {
    const h = createHarness('webchat', { SIDE_EFFECT_REPORTING_URL: REPORTING_URL });
    const card = cardOf((await h.say('where do I report a side effect'))[0]);
    expect(cardProblems(card)).to.deep.equal([]);
    const report = cardActions(card).find((a) => a.title === texts.reportSideEffect.action);
    expect(report).to.include({ type: 'Action.OpenUrl', url: REPORTING_URL });
  });

  it('without a reporting URL the reply has no link but still names the leaflet', async () => {
    const h = createHarness('test');
    const text = textOf(await h.say('I want to report a reaction'));
    expect(text).to.include(filled(texts.reportSideEffect.intro[0]!));
    expect(text).not.to.include(texts.reportSideEffect.action);
    expect(text).to.include(texts.leafletAction);
  });

  for (const says of SIDE_EFFECT_QUESTIONS) {
    it(`"${says}" is an information question, answered from the overview, not the reporting reply`, async () => {
      const h = createHarness('test', { SIDE_EFFECT_REPORTING_URL: REPORTING_URL });
      const text = textOf(await h.say(says));
      expect(text).not.to.include(texts.reportSideEffect.intro[0]!);
      expect(h.matcherCalls.length).to.be.greaterThan(0);
    });
  }
});
