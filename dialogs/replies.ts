// The bot's own fixed replies (welcome, help, menu, small talk), built from render/texts.json. Their

// {placeholders} are left for render() to fill.
import { texts, type Button, type Reply } from '../render/renderer';
import type { KnowledgeBase } from '../knowledge/types';
import type { SmallTalk } from './intents';
import { fillPlaceholders } from '../render/placeholders';

/**
 * The welcome, closed by the one-line privacy notice (what is kept, for how long, how to delete it); while
 * recording is on (issue 13) it says so too, in one extra line.
 */
export function welcomeReply(recording = false, handoff = false, several?: string): Reply {
  // Several medicines: they are named, and the overview's date is each answer's.
  const opening = several
    ? [
        ...texts.medicines.welcome.map((l) => fillPlaceholders(l, { names: several })),
        ...texts.welcome.slice(2),
      ]
    : texts.welcome;
  return {
    intro: [
      ...opening,
      handoff ? texts.privacy.noticeWithTranscript : texts.privacy.notice,
      ...(recording ? [texts.recording.welcome] : []),
    ],
    buttons: texts.menuButtons,
  };
}

/** Help and the menu also offer every topic and "forget me". */
export const HELP_BUTTONS: Button[] = [...texts.menuButtons, texts.topics.button, texts.privacy.forgetButton];

export function helpReply(): Reply {
  return { intro: [...texts.help], buttons: HELP_BUTTONS };
}

export function menuReply(): Reply {
  return { intro: [texts.help[0]], buttons: HELP_BUTTONS };
}

/**
 * "Topics": every section of the overview, in the overview's order, with each pair's own question as a
 * button; the recogniser answers a pair's own question exactly.
 */
export function topicsReply(kb: KnowledgeBase): Reply {
  const sections = new Map<string, Button[]>();
  for (const pair of kb.pairs) {
    const section = pair.provenance.section;
    if (!sections.has(section)) sections.set(section, []);
    sections.get(section)!.push({ title: pair.question, value: pair.question });
  }
  return {
    intro: [texts.topics.intro],
    topics: [...sections].map(([title, buttons]) => ({ title, buttons })),
  };
}

/** "Forget me": what the bot kept is deleted (the bot has done so before sending this). */
export function forgottenReply(): Reply {
  return { intro: [texts.privacy.forgotten] };
}

export function smallTalkReply(kind: SmallTalk, recording = false, handoff = false, several?: string): Reply {
  if (kind === 'greeting') return welcomeReply(recording, handoff, several);
  return { intro: [texts.smalltalk[kind]] };
}
