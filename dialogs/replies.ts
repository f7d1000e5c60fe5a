// The bot's own fixed replies (welcome, help, menu, small talk), built from render/texts.json.
import { texts, type Reply } from '../render/renderer';
import type { SmallTalk } from './intents';
import { fill, type BotServices } from './services';

export function welcomeReply(services: BotServices): Reply {
  return { intro: texts.welcome.map((t) => fill(services, t)), buttons: texts.menuButtons };
}

export function helpReply(services: BotServices): Reply {
  return { intro: texts.help.map((t) => fill(services, t)), buttons: texts.menuButtons };
}

export function menuReply(services: BotServices): Reply {
  return { intro: [fill(services, texts.help[0])], buttons: texts.menuButtons };
}

export function smallTalkReply(services: BotServices, kind: SmallTalk): Reply {
  if (kind === 'greeting') return welcomeReply(services);
  return { intro: [fill(services, texts.smalltalk[kind])] };
}
