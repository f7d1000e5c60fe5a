// The welcome: on joining, on a greeting, and as a Web Chat card.
import { expect } from 'chai';
import { ActivityTypes } from 'botbuilder';
import texts from '../../render/texts.json';
import { createHarness, textOf, buttonsOf, cardOf, cardTexts, cardActions } from '../dialogs.harness';
import { kb } from './helpers';

describe('dialogs: welcome', () => {
  const welcomeChecks = (text: string, emergency: string): void => {
    expect(text).to.include('European Medicines Agency');
    expect(text).to.include(kb.lastUpdatedText);
    expect(text).to.match(/can't give medical advice/);
    expect(text).to.include(`call ${emergency}`);
  };

  it('welcomes a user who joins, with the menu', async () => {
    const h = createHarness();
    const { bot, user } = h.adapter.conversation;
    const replies = await h.send({ type: ActivityTypes.ConversationUpdate, membersAdded: [bot!, user!] });
    expect(replies).to.have.length(1);
    welcomeChecks(textOf(replies), '112');
    expect(buttonsOf(replies)).to.deep.equal(texts.menuButtons);
    const titles = buttonsOf(replies).map((b) => b.title);
    expect(titles).to.include.members(['How do I take it?', 'Am I at risk?']);
  });

  it('says nothing when only the bot is added', async () => {
    const h = createHarness();
    const replies = await h.send({
      type: ActivityTypes.ConversationUpdate,
      membersAdded: [h.adapter.conversation.bot],
    });
    expect(replies).to.have.length(0);
  });

  it('welcomes on "hello", with the configured emergency number', async () => {
    const replies = await createHarness('test', { EMERGENCY_NUMBER: '999' }).say('Hello!');
    welcomeChecks(textOf(replies), '999');
    expect(textOf(replies)).not.to.include('112');
    expect(buttonsOf(replies)).to.deep.equal(texts.menuButtons);
  });

  it('welcomes in Web Chat with an Adaptive Card carrying the menu buttons', async () => {
    const h = createHarness('webchat');
    const { bot, user } = h.adapter.conversation;
    const replies = await h.send({ type: ActivityTypes.ConversationUpdate, membersAdded: [bot!, user!] });
    expect(replies).to.have.length(1);
    const card = cardOf(replies[0]);
    expect(cardActions(card).map((a) => a.title)).to.deep.equal(texts.menuButtons.map((b) => b.title));
    welcomeChecks(cardTexts(card).join('\n'), '112');
  });
});
