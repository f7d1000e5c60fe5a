// Last-resort turn error handling: log without message text, trace for the Emulator, apologise,
// and clear the conversation's state so a broken dialog cannot fail every following turn.
import type { BotAdapter, BotState, TurnContext } from 'botbuilder';
import type { Logger } from '../server/log';

export const APOLOGY =
  'Sorry, something went wrong on my side. Please try asking again; if it keeps happening, ask your pharmacist or doctor.';

export function installErrorHandler(adapter: BotAdapter, states: BotState[], log: Logger): void {
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error('turn.error', {
      name: error.name,
      channel: context.activity.channelId,
      activityType: context.activity.type,
    });
    // The message may quote input, so it is only logged at debug level.
    log.debug('turn.error_detail', { message: error.message.slice(0, 200) });
    try {
      await context.sendTraceActivity(
        'OnTurnError Trace',
        error.name,
        'https://www.botframework.com/schemas/error',
        'TurnError',
      );
      await context.sendActivity(APOLOGY);
    } catch (sendError) {
      log.error('turn.error_reply_failed', { name: (sendError as Error).name });
    }
    for (const state of states) {
      await state
        .delete(context)
        .catch((e: Error) => log.error('turn.state_delete_failed', { name: e.name }));
    }
  };
}
