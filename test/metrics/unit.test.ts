// The metrics' parts without a server: bounded labels, the Logger tee, the access rule of /metrics.
import { expect } from 'chai';
import { loadConfig } from '../../config';
import { createLogger, type LogFields, type Logger } from '../../shared/log';
import {
  channelLabel,
  mayReadMetrics,
  Metrics,
  routeLabels,
  safetyLabels,
  withMetrics,
  type MetricsAccess,
} from '../../server/metrics';
import { seriesValue } from './text';

const TOKEN = 'metrics-token-0123456789abcdef';

describe('metrics: turn labels', () => {
  it('maps faq routes to answered, suggested, fallback or mixed', () => {
    const outcome = (route: string): string => routeLabels(route).outcome;
    expect(routeLabels('faq:covered')).to.deep.equal({ route: 'faq', outcome: 'answered' });
    expect(outcome('faq:covered+covered')).to.equal('answered');
    expect(outcome('faq:close-call')).to.equal('suggested');
    expect(outcome('faq:not-covered+close-call')).to.equal('suggested');
    expect(outcome('faq:not-covered')).to.equal('fallback');
    expect(outcome('faq:other-medicine')).to.equal('fallback');
    expect(outcome('faq:unclear')).to.equal('fallback');
    expect(outcome('faq:')).to.equal('fallback');
    expect(outcome('faq:covered+not-covered')).to.equal('mixed');
    expect(outcome('faq:close-call+covered')).to.equal('mixed');
  });

  it('keeps the other routes to their allow-lists, anything else as other', () => {
    expect(routeLabels('flow:howToTake')).to.deep.equal({ route: 'flow', outcome: 'howToTake' });
    expect(routeLabels('smalltalk:thanks')).to.deep.equal({ route: 'smalltalk', outcome: 'thanks' });
    expect(routeLabels('command:help')).to.deep.equal({ route: 'command', outcome: 'help' });
    expect(routeLabels('unclear:bare-choice')).to.deep.equal({ route: 'unclear', outcome: 'bare-choice' });
    // The helpdesk: a person asked for, offered after repeated fallbacks, a handoff accepted.
    expect(routeLabels('helpdesk:person')).to.deep.equal({ route: 'helpdesk', outcome: 'person' });
    expect(routeLabels('helpdesk:repeated-fallbacks')).to.deep.equal({
      route: 'helpdesk',
      outcome: 'repeated-fallbacks',
    });
    expect(routeLabels('command:handoff')).to.deep.equal({ route: 'command', outcome: 'handoff' });
    expect(routeLabels('command:what are the side effects?')).to.deep.equal({
      route: 'command',
      outcome: 'other',
    });
    expect(routeLabels('flow:pair-id-123')).to.deep.equal({ route: 'flow', outcome: 'other' });
    expect(routeLabels('my name is Anna:help')).to.deep.equal({ route: 'other', outcome: 'other' });
    expect(routeLabels('safety:emergency')).to.deep.equal({ route: 'other', outcome: 'other' });
    expect(routeLabels(undefined)).to.deep.equal({ route: 'other', outcome: 'other' });
    expect(routeLabels(42)).to.deep.equal({ route: 'other', outcome: 'other' });
  });

  it('labels safety events by level and channels from a fixed set', () => {
    for (const level of ['emergency', 'urgent', 'defer', 'notice']) {
      expect(safetyLabels(level)).to.deep.equal({ route: 'safety', outcome: level });
    }
    expect(safetyLabels('I have chest pain')).to.deep.equal({ route: 'safety', outcome: 'other' });
    expect(safetyLabels(undefined)).to.deep.equal({ route: 'safety', outcome: 'other' });
    for (const channel of ['msteams', 'webchat', 'directline', 'emulator', 'test']) {
      expect(channelLabel(channel)).to.equal(channel);
    }
    expect(channelLabel('slack')).to.equal('other');
    expect(channelLabel('user-secret-id-42')).to.equal('other');
    expect(channelLabel(undefined)).to.equal('other');
  });
});

describe('metrics: the Logger tee', () => {
  const recording = (): { log: Logger; calls: unknown[][] } => {
    const calls: unknown[][] = [];
    const log: Logger = {
      error: (...args) => calls.push(['error', ...args]),
      info: (...args) => calls.push(['info', ...args]),
      debug: (...args) => calls.push(['debug', ...args]),
    };
    return { log, calls };
  };

  it('forwards every call unchanged, the same arguments and objects', () => {
    const { log, calls } = recording();
    const tee = withMetrics(log, new Metrics({ processMetrics: false }));
    const fields: LogFields = { route: 'faq:covered', pairId: 'side-effects.common' };
    tee.debug('turn.route', fields);
    tee.info('turn.safety', { level: 'urgent', category: 'fever' });
    tee.error('http.turn_failed');
    tee.info('storage.ready', { kind: 'memory' });
    expect(calls).to.deep.equal([
      ['debug', 'turn.route', fields],
      ['info', 'turn.safety', { level: 'urgent', category: 'fever' }],
      ['error', 'http.turn_failed'],
      ['info', 'storage.ready', { kind: 'memory' }],
    ]);
    expect(calls[0]![2]).to.equal(fields);
  });

  it('counts debug-level turn.route even with LOG_LEVEL=error, while the log still filters', async () => {
    const lines: string[] = [];
    const metrics = new Metrics({ processMetrics: false });
    const tee = withMetrics(
      createLogger('error', (line) => lines.push(line)),
      metrics,
    );
    tee.debug('turn.route', { route: 'faq:covered', pairId: 'what.overview' });
    tee.debug('turn.route', { route: 'faq:covered' });
    tee.debug('turn.route', { route: 'faq:covered+not-covered' });
    tee.info('turn.safety', { level: 'emergency', category: 'chest-pain' });
    tee.info('turn.other', { route: 'faq:covered' });
    tee.error('server.listen_failed', { error: 'EADDRINUSE' });
    expect(lines).to.have.length(1);
    expect(JSON.parse(lines[0]!)).to.include({ level: 'error', event: 'server.listen_failed' });
    const text = await metrics.text();
    expect(seriesValue(text, 'bot_turns_total{route="faq",outcome="answered"}')).to.equal(2);
    expect(seriesValue(text, 'bot_turns_total{route="faq",outcome="mixed"}')).to.equal(1);
    expect(seriesValue(text, 'bot_turns_total{route="safety",outcome="emergency"}')).to.equal(1);
    expect(text).to.not.include('what.overview');
    expect(text).to.not.include('chest-pain');
  });

  it('keeps counting when many distinct routes arrive, with bounded labels', async () => {
    const metrics = new Metrics({ processMetrics: false });
    const tee = withMetrics(
      createLogger('error', () => {}),
      metrics,
    );
    for (let i = 0; i < 1000; i += 1) tee.debug('turn.route', { route: `command:text ${i}` });
    const text = await metrics.text();
    expect(seriesValue(text, 'bot_turns_total{route="command",outcome="other"}')).to.equal(1000);
    expect(text.split('\n').filter((l) => l.startsWith('bot_turns_total{'))).to.have.length(1);
  });
});

describe('metrics: the registry', () => {
  it('keeps each server its own registry, with the process metrics and the gauges read at scrape time', async () => {
    const a = new Metrics();
    const b = new Metrics({ processMetrics: false });
    let open = 3;
    a.watchDirectLine(() => open);
    a.watchState(() => 7);
    a.observeTurn('msteams', 0.02);
    const first = await a.text();
    expect(seriesValue(first, 'bot_directline_open_conversations')).to.equal(3);
    expect(seriesValue(first, 'bot_state_entries')).to.equal(7);
    expect(seriesValue(first, 'bot_turn_duration_seconds_count{channel="msteams"}')).to.equal(1);
    expect(first).to.include('process_cpu_user_seconds_total');
    expect(first).to.include('nodejs_heap_size_used_bytes');
    open = 4;
    expect(seriesValue(await a.text(), 'bot_directline_open_conversations')).to.equal(4);
    const other = await b.text();
    expect(seriesValue(other, 'bot_turn_duration_seconds_count{channel="msteams"}')).to.equal(0);
    expect(other).to.not.include('bot_state_entries');
    expect(other).to.not.include('process_cpu_user_seconds_total');
  });
});

describe('metrics: who may read /metrics', () => {
  const headers = (authorization?: string, forwardedFor?: string): Record<string, string> => ({
    ...(authorization === undefined ? {} : { authorization }),
    ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }),
  });
  const may = (
    remoteAddress: string | undefined,
    hdrs: Record<string, string>,
    access: Partial<MetricsAccess> = {},
  ): boolean =>
    mayReadMetrics({ remoteAddress, headers: hdrs }, { token: '', trustedProxies: [], ...access });

  it('lets loopback clients in without a token', () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.0.0.2']) {
      expect(may(address, headers()), address).to.equal(true);
      expect(may(address, headers(), { token: TOKEN }), address).to.equal(true);
    }
  });

  it('refuses anyone else when no token is configured, whatever they send', () => {
    for (const address of ['10.0.0.5', '192.168.1.20', '2001:db8::1', '::ffff:10.0.0.5', '', undefined]) {
      expect(may(address, headers()), String(address)).to.equal(false);
      expect(may(address, headers('Bearer ')), String(address)).to.equal(false);
      expect(may(address, headers(`Bearer ${TOKEN}`)), String(address)).to.equal(false);
    }
  });

  it('lets a non-loopback client in with the right bearer token only', () => {
    const access = { token: TOKEN };
    expect(may('10.0.0.5', headers(`Bearer ${TOKEN}`), access)).to.equal(true);
    expect(may('10.0.0.5', headers(`bearer ${TOKEN}`), access)).to.equal(true);
    expect(may('2001:db8::1', headers(`Bearer ${TOKEN}`), access)).to.equal(true);
    expect(may('10.0.0.5', headers(), access)).to.equal(false);
    expect(may('10.0.0.5', headers(`Bearer ${TOKEN}x`), access)).to.equal(false);
    expect(may('10.0.0.5', headers(`Bearer ${TOKEN.slice(0, -1)}`), access)).to.equal(false);
    expect(may('10.0.0.5', headers('Bearer wrong-token-wrong-token')), 'no token configured').to.equal(false);
    expect(may('10.0.0.5', headers(TOKEN), access), 'no scheme').to.equal(false);
    expect(may('10.0.0.5', headers(`Basic ${TOKEN}`), access)).to.equal(false);
    expect(may('10.0.0.5', headers(`Bearer ${TOKEN} extra`), access)).to.equal(false);
  });

  it('never believes X-Forwarded-For, from a trusted proxy or not', () => {
    expect(may('10.0.0.5', headers(undefined, '127.0.0.1'))).to.equal(false);
    expect(may('10.0.0.5', headers(undefined, '::1'), { token: TOKEN })).to.equal(false);
    expect(may('10.0.0.5', headers(undefined, '127.0.0.1'), { trustedProxies: ['10.0.0.5'] })).to.equal(
      false,
    );
  });

  it('takes a loopback socket that is a trusted proxy for the visitor behind it', () => {
    const access = { token: TOKEN, trustedProxies: ['127.0.0.1'] };
    expect(may('127.0.0.1', headers(), access)).to.equal(false);
    expect(may('::ffff:127.0.0.1', headers(undefined, '127.0.0.1'), access)).to.equal(false);
    expect(may('127.0.0.1', headers(`Bearer ${TOKEN}`), access)).to.equal(true);
    expect(may('::1', headers(), access)).to.equal(true);
  });

  it('reads METRICS_TOKEN from the configuration and refuses a short one', () => {
    expect(loadConfig({}).metrics.token).to.equal('');
    expect(loadConfig({ METRICS_TOKEN: ` ${TOKEN} ` }).metrics.token).to.equal(TOKEN);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).to.throw(/METRICS_TOKEN must be at least 16/);
    expect(() => loadConfig({ METRICS_TOKEN: 'with a space inside it' })).to.throw(/METRICS_TOKEN/);
    expect(() => loadConfig({ METRICS_TOKEN: 'secret-12345' }))
      .to.throw()
      .with.property('message')
      .that.does.not.include('secret-12345');
  });
});
