// The bot's own fixed replies (welcome, help, menu, small talk), built from render/texts.json. Their
// {placeholders} are left for render() to fill.
import { texts, type Reply } from '../render/renderer';
import type { SmallTalk } from './intents';

/** The welcome; while recording is on (issue 13) it says so, in one extra line. */
export function welcomeReply(recording = false): Reply {
  return {
    intro: [...texts.welcome, ...(recording ? [texts.recording.welcome] : [])],
    buttons: texts.menuButtons,
  };
}

export function helpReply(): Reply {
  return { intro: [...texts.help], buttons: texts.menuButtons };
}

export function menuReply(): Reply {
  return { intro: [texts.help[0]], buttons: texts.menuButtons };
}

export function smallTalkReply(kind: SmallTalk, recording = false): Reply {
  if (kind === 'greeting') return welcomeReply(recording);
  return { intro: [texts.smalltalk[kind]] };
}
