// GET /metrics on the real server over HTTP: the format, the counts after real turns, no text or ids in
// it, and the 404 that anyone not allowed gets (a loopback socket listed as a trusted proxy stands in
// for a client from elsewhere, since a test cannot connect from a non-loopback address).
import { expect } from 'chai';
import { createApp, type App } from '../../index';
import { loadConfig } from '../../config';
import { createLogger } from '../../shared/log';
import { listen } from '../../server/app';
import type { BoundedMemoryStorage } from '../../server/storage';
import { channelActivity } from '../activities';
import { postMessage, startConversation } from '../directline/server';
import { labelValues, seriesValue } from './text';

const TOKEN = 'metrics-http-token-0123456789';
const ANSWERED = 'bot_turns_total{route="faq",outcome="answered"}';
const EMERGENCY = 'bot_turns_total{route="safety",outcome="emergency"}';
const FALLBACK = 'bot_turns_total{route="faq",outcome="fallback"}';
const TEST_TURNS = 'bot_turn_duration_seconds_count{channel="test"}';
const DIRECT_LINE_TURNS = 'bot_turn_duration_seconds_count{channel="directline"}';

async function scrape(base: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${base}/metrics`, { headers });
  expect(res.status).to.equal(200);
  return res.text();
}

describe('GET /metrics over HTTP', () => {
  let app: App;
  let base: string;
  const logLines: string[] = [];

  before(async () => {
    // LOG_LEVEL=error: turn.route is a debug event, and is counted all the same.
    app = createApp(
      loadConfig({ LOG_LEVEL: 'error' }),
      createLogger('error', (line) => logLines.push(line)),
    );
    base = `http://127.0.0.1:${await listen(app.server, 0)}`;
  });

  after(async () => app.close());

  it('answers a loopback client in the Prometheus text format, HEAD too', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('cache-control')).to.equal('no-store');
    const text = await res.text();
    for (const name of [
      'bot_turns_total',
      'bot_turn_duration_seconds',
      'bot_directline_open_conversations',
      'bot_state_entries',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).to.include(`# TYPE ${name} `);
    }
    const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
    expect(head.status).to.equal(200);
    expect(head.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    expect(await head.text()).to.equal('');
  });

  it('counts turns by route and outcome and times them, with no message text or id in any label', async () => {
    const before = await scrape(base);
    const sent = [
      {
        conversation: 'metrics-conv-answer-7731',
        user: 'metrics-user-id-5521',
        text: 'what are the side effects?',
      },
      { conversation: 'metrics-conv-chest-8842', user: 'metrics-user-id-6632', text: 'I have chest pain' },
      { conversation: 'metrics-conv-noise-9953', user: 'metrics-user-id-7743', text: 'asdfgh' },
    ];
    for (const { conversation, user, text } of sent) {
      const res = await fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(channelActivity(conversation, { text, from: { id: user, name: 'Patient' } })),
      });
      expect(res.status).to.equal(200);
    }
    // The local Direct Line channel: its own label, and an open conversation.
    const started = await startConversation(base, { user: { id: 'metrics-dl-user-4410' } });
    await postMessage(base, started, 'what are the side effects?');
    await app.directLine!.settled();

    const after = await scrape(base);
    const grew = (series: string): number => seriesValue(after, series) - seriesValue(before, series);
    expect(grew(ANSWERED)).to.equal(2);
    expect(grew(EMERGENCY)).to.equal(1);
    expect(grew(FALLBACK)).to.equal(1);
    expect(grew(TEST_TURNS)).to.equal(3);
    expect(grew(DIRECT_LINE_TURNS)).to.be.at.least(1);
    expect(seriesValue(after, 'bot_turn_duration_seconds_sum{channel="test"}')).to.be.greaterThan(0);
    expect(seriesValue(after, 'bot_directline_open_conversations')).to.equal(1);
    const stateEntries = (app.storage as BoundedMemoryStorage).size;
    expect(stateEntries).to.be.greaterThan(0);
    expect(seriesValue(after, 'bot_state_entries')).to.equal(stateEntries);

    const secrets = [
      ...sent.flatMap((s) => [s.conversation, s.user, s.text]),
      started.conversationId,
      'metrics-dl-user-4410',
      'side effects',
      'chest',
      'asdfgh',
    ];
    const values = labelValues(after);
    expect(values).to.include.members(['faq', 'answered', 'safety', 'emergency', 'test', 'directline']);
    for (const value of values) {
      for (const secret of secrets) expect(value).to.not.include(secret);
    }
    for (const secret of secrets) expect(after).to.not.include(secret);
    // The turn counts came from debug events the error-level log never printed.
    expect(logLines.filter((l) => l.includes('turn.route'))).to.deep.equal([]);
  });
});

describe('GET /metrics for a client that is not on this host', () => {
  let app: App;
  let base: string;

  before(async () => {
    // Our own loopback address listed as a reverse proxy: its requests are someone else's, not local.
    app = createApp(
      loadConfig({ LOG_LEVEL: 'error', TRUSTED_PROXIES: '127.0.0.1,::1', METRICS_TOKEN: TOKEN }),
      createLogger('error', () => {}),
    );
    base = `http://127.0.0.1:${await listen(app.server, 0)}`;
  });

  after(async () => app.close());

  /** Status, content type and body of a request, with the path in the body made comparable. */
  const answer = async (path: string, init: RequestInit = {}): Promise<unknown> => {
    const res = await fetch(`${base}${path}`, init);
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      allow: res.headers.get('allow'),
      body: (await res.text()).replace(path, '<path>'),
    };
  };

  it('serves the metrics with the right bearer token', async () => {
    const text = await scrape(base, { authorization: `Bearer ${TOKEN}` });
    expect(text).to.include('# TYPE bot_turns_total counter');
    const head = await fetch(`${base}/metrics`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(head.status).to.equal(200);
  });

  it('answers exactly as for a route that does not exist without it, a wrong one, or a forged X-Forwarded-For', async () => {
    const unknown = await answer('/no-such-route');
    expect(unknown).to.include({ status: 404 });
    for (const headers of <Record<string, string>[]>[
      {},
      { authorization: 'Bearer wrong-token-0123456789abcdef' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: TOKEN },
      { 'x-forwarded-for': '127.0.0.1' },
      { 'x-forwarded-for': '::1', 'x-real-ip': '127.0.0.1' },
    ]) {
      expect(await answer('/metrics', { headers }), JSON.stringify(headers)).to.deep.equal(unknown);
    }
    const unknownHead = await answer('/no-such-route', { method: 'HEAD' });
    expect(await answer('/metrics', { method: 'HEAD' })).to.deep.equal(unknownHead);
  });

  it('does not reveal the route to other methods or spellings either (no 405, no body error)', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const init: RequestInit = {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: method === 'OPTIONS' || method === 'DELETE' ? undefined : '{not json',
      };
      const unknown = await answer('/no-such-route', init);
      for (const path of ['/metrics', '/metrics/', '/%6Detrics']) {
        expect(await answer(path, init), `${method} ${path}`).to.deep.equal(unknown);
      }
    }
  });
});
