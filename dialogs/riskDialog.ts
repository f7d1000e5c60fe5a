// "Am I at risk?": which concern, then what the overview says about it. Never a personal verdict.
import { GuidedFlowDialog } from './guidedFlowDialog';
import type { FlowOption } from './intents';
import type { BotServices } from './services';

export const RISK_DIALOG = 'riskDialog';

export class RiskDialog extends GuidedFlowDialog {
  constructor(services: BotServices) {
    super(RISK_DIALOG, 'risk', services);
  }

  protected introFor(_option: FlowOption): string[] {
    return this.flow.verdict ? [this.flow.verdict] : [];
  }
}
