// The CloudAdapter the HTTP route uses: authentication apart from the turn, connector clients reused,
// and bounded calls to a serviceUrl.
import { expect } from 'chai';
import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import { HttpCloudAdapter } from '../server/adapter';

const activity = (serviceUrl: string): Activity =>
  ({
    type: 'message',
    channelId: 'emulator',
    serviceUrl,
    conversation: { id: 'c' },
    from: { id: 'u' },
    recipient: { id: 'b' },
  }) as Activity;

/** The policy names of a connector client's HTTP pipeline (a private field of the SDK's client). */
function policies(client: unknown): string[] {
  const pipeline = (client as { client: { pipeline: { getOrderedPolicies(): { name: string }[] } } }).client
    .pipeline;
  return pipeline.getOrderedPolicies().map((p) => p.name);
}

describe('HttpCloudAdapter', () => {
  const adapter = new HttpCloudAdapter(new ConfigurationBotFrameworkAuthentication({}), 700);

  it('refuses a request without a token when an app id is configured', async () => {
    const secured = new HttpCloudAdapter(
      new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: 'app' }),
    );
    let failed = false;
    await secured
      .authenticate(activity('https://smba.trafficmanager.net/emea/'), '')
      .catch(() => (failed = true));
    expect(failed).to.equal(true);
  });

  it('reuses one connector client per serviceUrl across turns, and builds another for another serviceUrl', async () => {
    const first = await adapter.authenticate(activity('http://127.0.0.1:9/a'), '');
    const second = await adapter.authenticate(activity('http://127.0.0.1:9/a'), '');
    const a1 = await first.connectorFactory!.create('http://127.0.0.1:9/a', undefined);
    const a2 = await second.connectorFactory!.create('http://127.0.0.1:9/a', undefined);
    const b = await second.connectorFactory!.create('http://127.0.0.1:9/b', undefined);
    expect(a1).to.equal(a2);
    expect(b).to.not.equal(a1);
  });

  it("gives each connector client the reply timeout and short retries in place of the SDK's", async () => {
    const result = await adapter.authenticate(activity('http://127.0.0.1:9/c'), '');
    const names = policies(await result.connectorFactory!.create('http://127.0.0.1:9/c', undefined));
    expect(names).to.include('replyTimeout');
    expect(names.filter((n) => n === 'defaultRetryPolicy')).to.have.length(1);
  });
});
