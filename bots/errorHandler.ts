// Last-resort turn error handling: log without message text, trace for the Emulator, apologise,
// and clear the conversation's state so a broken dialog cannot fail every following turn.
import type { BotAdapter, BotState, TurnContext } from 'botbuilder';
import type { Logger } from '../shared/log';

export const APOLOGY =
  'Sorry, something went wrong on my side. Please try asking again; if it keeps happening, ask your pharmacist or doctor.';

export function installErrorHandler(adapter: BotAdapter, states: BotState[], log: Logger): void {
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    // Only the error's name: its message may quote the user's input.
    log.error('turn.error', {
      name: error.name,
      channel: context.activity.channelId,
      activityType: context.activity.type,
    });
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
      // delete() can throw synchronously (e.g. a state keyed on a field the activity lacks).
      try {
        await state.delete(context);
      } catch (deleteError) {
        log.error('turn.state_delete_failed', { name: (deleteError as Error).name });
      }
    }
  };
}
