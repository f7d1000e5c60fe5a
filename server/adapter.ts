// CloudAdapter with its request handling split in two, so the HTTP route can answer a bad token with
// 401 and one log line (CloudAdapter.process prints the error's stack to stderr and answers some forged
// tokens with 500 and the error text) and run the turn only for an authenticated request. It also
// bounds the calls that send the bot's replies to the channel.
import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type {
  AuthenticateRequestResult,
  BotFrameworkAuthentication,
  ConnectorFactory,
} from 'botframework-connector';
import { defaultRetryPolicy, type Pipeline } from '@azure/core-rest-pipeline';
import { LRUCache } from 'lru-cache';

/** The SDK's policy name for its retries; replaced below with one that gives up sooner. */
const RETRY_POLICY = 'defaultRetryPolicy';

/**
 * Caps each call to a serviceUrl at `timeoutMs` and keeps the retries short. The SDK's defaults retry a
 * refused connection for about ten seconds with no timeout at all, so an unreachable serviceUrl held the
 * caller's request (and its memory) that long, and one that never answers held it forever. Throttling
 * (429 with Retry-After, as Teams sends) is still retried as the channel asks.
 */
function boundReplyCalls(client: unknown, timeoutMs: number): void {
  // botbuilder-stdlib keeps the @azure/core-client ServiceClient in a private field: the SDK offers no
  // option for its retries or timeout (ConnectorFactoryImpl overwrites requestPolicyFactories).
  const pipeline = (client as { client?: { pipeline?: Pipeline } }).client?.pipeline;
  if (!pipeline) throw new Error('the connector client no longer has the expected pipeline');
  pipeline.removePolicy({ name: RETRY_POLICY });
  pipeline.addPolicy(defaultRetryPolicy({ maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 400 }), {
    phase: 'Retry',
  });
  pipeline.addPolicy({
    name: 'replyTimeout',
    sendRequest: (request, next) => {
      if (!(request.timeout > 0) || request.timeout > timeoutMs) request.timeout = timeoutMs;
      return next(request);
    },
  });
}

type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;

export class HttpCloudAdapter extends CloudAdapter {
  /**
   * Connector clients by serviceUrl, audience and caller: building one (its HTTP pipeline and
   * credentials) took about a tenth of a turn, every turn, even for expectReplies turns that never use
   * it. A client holds no per-turn state. Bounded, as anonymous callers choose the loopback serviceUrl.
   */
  private readonly clients = new LRUCache<string, Promise<ConnectorClient>>({ max: 256 });

  constructor(
    auth: BotFrameworkAuthentication,
    private readonly replyTimeoutMs: number = 5000,
  ) {
    super(auth);
  }

  /** Validates the request's Authorization header for the activity; throws when it does not hold. */
  async authenticate(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
    const factory = result.connectorFactory;
    if (!factory) return result;
    const bounded: ConnectorFactory = {
      create: (serviceUrl, audience) => {
        const key = JSON.stringify([serviceUrl, audience ?? '', result.callerId, result.audience]);
        let client = this.clients.get(key);
        if (!client) {
          client = factory.create(serviceUrl, audience).then((created) => {
            boundReplyCalls(created, this.replyTimeoutMs);
            return created;
          });
          // A failed creation is not kept: the next turn tries again.
          client.catch(() => this.clients.delete(key));
          this.clients.set(key, client);
        }
        return client;
      },
    };
    return { ...result, connectorFactory: bounded };
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
