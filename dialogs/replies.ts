// The bot's own fixed replies (welcome, help, menu, small talk), built from render/texts.json. Their
// {placeholders} are left for render() to fill.
import { texts, type Reply } from '../render/renderer';
import type { SmallTalk } from './intents';

export function welcomeReply(): Reply {
  return { intro: [...texts.welcome], buttons: texts.menuButtons };
}

export function helpReply(): Reply {
  return { intro: [...texts.help], buttons: texts.menuButtons };
}

export function menuReply(): Reply {
  return { intro: [texts.help[0]], buttons: texts.menuButtons };
}

export function smallTalkReply(kind: SmallTalk): Reply {
  if (kind === 'greeting') return welcomeReply();
  return { intro: [texts.smalltalk[kind]] };
}
