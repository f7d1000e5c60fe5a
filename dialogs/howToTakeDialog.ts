// "How do I take it?": which combination was prescribed, then the matching schedule and dosing pairs.
import { GuidedFlowDialog } from './guidedFlowDialog';
import type { FlowOption } from './intents';
import type { BotServices } from './services';

export const HOW_TO_TAKE_DIALOG = 'howToTakeDialog';

export class HowToTakeDialog extends GuidedFlowDialog {
  constructor(services: BotServices) {
    super(HOW_TO_TAKE_DIALOG, 'howToTake', services);
  }

  protected introFor(option: FlowOption): string[] {
    return option.intro ? [option.intro] : [];
  }
}
