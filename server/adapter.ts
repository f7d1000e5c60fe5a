// CloudAdapter with its request handling split in two, so the HTTP route can answer a bad token with
// 401 and one log line (CloudAdapter.process prints the error's stack to stderr and answers some forged
// tokens with 500 and the error text) and run the turn only for an authenticated request.
import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';

export class HttpCloudAdapter extends CloudAdapter {
  /** Validates the request's Authorization header for the activity; throws when it does not hold. */
  authenticate(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
  }

  /** Runs the turn of an authenticated activity; resolves with the invoke or expectReplies response. */
  runTurn(
    authenticated: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authenticated, activity, logic);
  }
}
