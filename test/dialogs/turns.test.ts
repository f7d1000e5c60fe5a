// The bot's turn around the dialogs: the incoming activity is left as sent, and a turn with no flow
// running is routed without runDialog (same trace, same skill behaviour).
import { expect } from 'chai';
import { ActivityTypes, type Activity } from 'botbuilder';
import { createHarness, cardOf, cardProse, cardActions, type Harness } from '../dialogs.harness';
import { pairShown, flowTrigger, flowData, expectPrompt, expectFinalAnswer } from './helpers';

describe('dialogs: the incoming activity is read, never rewritten', () => {
  it('a Web Chat card button press (data as the value, no text) picks the option; the activity stays as sent', async () => {
    const h = createHarness('webchat');
    const [prompt] = await h.say(flowTrigger('howToTake'));
    const option = flowData('howToTake').options[1]!;
    const submit = cardActions(cardOf(prompt)).find((a) => a.title === option.title)!;
    const incoming: Partial<Activity> = { type: ActivityTypes.Message, value: submit.data };
    await h.adapter.processActivity(incoming);
    const replies = h.adapter.activeQueue.splice(0);
    expect(cardProse(cardOf(replies[0]))).to.include(pairShown(option.blocks[0]!.pair));
    expect(incoming.text).to.equal(undefined);
    expect(incoming.value).to.deep.equal(submit.data);
  });
});

describe('dialogs: a turn with no flow running is routed without the dialog machinery', () => {
  /** A harness whose adapter keeps trace activities, as the Emulator and expectReplies callers get them. */
  function tracing(): Harness {
    const h = createHarness();
    h.adapter.enableTrace = true;
    return h;
  }
  const traceOf = (replies: Partial<Activity>[]): Partial<Activity> | undefined =>
    replies.find((r) => r.type === ActivityTypes.Trace);

  it('ends with the BotState trace runDialog sends when no dialog is left running', async () => {
    const h = tracing();
    // The first turn is routed directly; the second ends a flow inside runDialog.
    const direct = await h.say('What is Imnovid used for?');
    await h.say('how do I take it');
    const viaDialogs = await h.say('with dexamethasone only');
    for (const [replies, text] of [
      [direct, 'What is Imnovid used for?'],
      [viaDialogs, 'with dexamethasone only'],
    ] as const) {
      expect(replies.map((r) => r.type)).to.deep.equal([ActivityTypes.Message, ActivityTypes.Trace]);
      const trace = traceOf(replies)!;
      expect(trace.name).to.equal('BotState');
      expect(trace.label).to.equal('Bot State');
      expect(trace.valueType).to.equal('https://www.botframework.com/schemas/botState');
      // As it travels: runDialog's memory snapshot also names empty scopes, which JSON leaves out.
      const value = JSON.parse(JSON.stringify(trace.value)) as { turn: { activity: Partial<Activity> } };
      expect(Object.keys(value)).to.deep.equal(['turn']);
      expect(value.turn.activity.text).to.equal(text);
    }
  });

  it('matches a message that starts a flow once, and the flow begins as before', async () => {
    const h = createHarness();
    expectPrompt(await h.say('how do I take it'), 'howToTake');
    expect(h.matcherCalls.map((c) => c.text)).to.deep.equal(['how do i take it']);
    expectFinalAnswer(await h.say('with dexamethasone only'), 'howToTake', 'dexamethasone');
  });

  it("keeps runDialog for a skill's turn, which ends with an EndOfConversation to the parent bot", async () => {
    const h = createHarness();
    h.adapter.use(async (context, next) => {
      // A skill claim: a token version, this bot as the audience, another bot as the caller.
      const claims = [
        { type: 'ver', value: '1.0' },
        { type: 'aud', value: 'this-bot-app-id' },
        { type: 'appid', value: 'parent-bot-app-id' },
      ];
      context.turnState.set(context.adapter.BotIdentityKey, { isAuthenticated: true, claims });
      await next();
    });
    const replies = await h.say('What is Imnovid used for?');
    expect(replies.map((r) => r.type)).to.deep.equal([
      ActivityTypes.Message,
      ActivityTypes.EndOfConversation,
    ]);
    // Without the skill claim the same message gets its answer alone.
    expect((await createHarness().say('What is Imnovid used for?')).map((r) => r.type)).to.deep.equal([
      ActivityTypes.Message,
    ]);
  });
});
