// Prometheus metrics (GET /metrics): turns by route and outcome, turn latency, open local Direct Line
// conversations and in-memory state entries, plus prom-client's process metrics. Every label value comes
// from a fixed list: no message text, id or pair id can become a label.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Command, FlowId, SmallTalk } from '../dialogs/intents';
import type { SafetyLevel } from '../safety/gate';
import type { LogFields, Logger } from '../shared/log';

/** The channels a turn's latency is labelled with; any other channelId counts as `other`. */
export const CHANNELS = ['msteams', 'webchat', 'directline', 'emulator', 'test'] as const;
export type ChannelLabel = (typeof CHANNELS)[number] | 'other';

/** Outcomes allowed per route, besides faq's computed ones; anything else counts as `other`. */
const OUTCOMES: Record<string, ReadonlySet<string>> = {
  flow: new Set<FlowId>(['howToTake', 'risk']),
  smalltalk: new Set<SmallTalk>(['greeting', 'thanks', 'bye', 'whoami', 'decline']),
  command: new Set<Command>(['help', 'cancel', 'menu', 'none', 'handoff', 'forget', 'topics']),
  helpdesk: new Set(['person', 'repeated-fallbacks', 'report-side-effect']),
  unclear: new Set(['bare-choice']),
  safety: new Set<SafetyLevel>(['emergency', 'urgent', 'defer', 'notice', 'information']),
};

export interface TurnLabels {
  route: string;
  outcome: string;
}

const OTHER: TurnLabels = { route: 'other', outcome: 'other' };

/**
 * The bounded labels of a `turn.route` value ("faq:covered+not-covered", "command:help"...). faq:
 * `answered` when every part is covered, `mixed` when some are and some are not, `suggested` when none is
 * and one is a close call ("Did you mean"), `fallback` otherwise.
 */
export function routeLabels(route: unknown): TurnLabels {
  if (typeof route !== 'string') return OTHER;
  const colon = route.indexOf(':');
  const name = colon < 0 ? route : route.slice(0, colon);
  const rest = colon < 0 ? '' : route.slice(colon + 1);
  if (name === 'faq') {
    const parts = rest.split('+');
    const covered = parts.filter((p) => p === 'covered').length;
    if (covered > 0) return { route: name, outcome: covered === parts.length ? 'answered' : 'mixed' };
    return { route: name, outcome: parts.includes('close-call') ? 'suggested' : 'fallback' };
  }
  const allowed = name === 'safety' ? undefined : OUTCOMES[name];
  if (!allowed) return OTHER;
  return { route: name, outcome: allowed.has(rest) ? rest : 'other' };
}

/** The bounded labels of a `turn.safety` event: the safety route, its level as the outcome. */
export function safetyLabels(level: unknown): TurnLabels {
  const known = typeof level === 'string' && OUTCOMES.safety!.has(level);
  return { route: 'safety', outcome: known ? (level as string) : 'other' };
}

export function channelLabel(channelId: unknown): ChannelLabel {
  return (CHANNELS as readonly unknown[]).includes(channelId) ? (channelId as ChannelLabel) : 'other';
}

/** Distinct turn.route values remembered with their counter; beyond this they are mapped each time. */
const MAX_REMEMBERED_ROUTES = 256;

/** prom-client's default process metrics, collected once per process: every Metrics reports them. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export interface MetricsOptions {
  /** Include prom-client's default process metrics (CPU, memory, event loop, GC); default true. */
  processMetrics?: boolean;
}

/**
 * The metrics of one server, in a registry of its own (several servers in one process, as in the tests,
 * do not clash). The bot's Logger, wrapped by withMetrics, feeds the turn counter; the server times turns.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly withProcess: boolean;
  private readonly turns: Counter<'route' | 'outcome'>;
  private readonly latency: Histogram<'channel'>;
  private readonly routes = new Map<string, Counter.Internal>();
  private readonly safety = new Map<string, Counter.Internal>();
  private readonly channels = new Map<ChannelLabel, Histogram.Internal<'channel'>>();
  /** The counts read at scrape time, by gauge name (the last one given for each). */
  private readonly watched = new Map<string, () => number>();

  constructor(options: MetricsOptions = {}) {
    this.withProcess = options.processMetrics ?? true;
    this.turns = new Counter({
      name: 'bot_turns_total',
      help: 'Turn decisions by route (faq, flow, smalltalk, command, helpdesk, unclear, safety, other) and outcome.',
      labelNames: ['route', 'outcome'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'bot_turn_duration_seconds',
      help: 'Time the bot took for one activity turn, by channel.',
      labelNames: ['channel'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    for (const channel of [...CHANNELS, 'other'] as const) {
      this.channels.set(channel, this.latency.labels(channel));
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Counts the two turn events of the bot's log (`turn.route`, `turn.safety`); ignores every other. */
  countEvent(event: string, fields?: LogFields): void {
    if (event === 'turn.route') this.count(this.routes, fields?.route, routeLabels);
    else if (event === 'turn.safety') this.count(this.safety, fields?.level, safetyLabels);
  }

  /** Records one turn's duration. */
  observeTurn(channelId: unknown, seconds: number): void {
    this.channels.get(channelLabel(channelId))!.observe(seconds);
  }

  /** Reports the open local Direct Line conversations, read at scrape time. */
  watchDirectLine(count: () => number): void {
    this.watch(
      'bot_directline_open_conversations',
      'Conversations open on the built-in local Direct Line channel.',
      count,
    );
  }

  /** Reports the entries of the in-memory conversation state, read at scrape time. */
  watchState(count: () => number): void {
    this.watch(
      'bot_state_entries',
      'Entries in the in-memory conversation state (absent with Azure Blob storage).',
      count,
    );
  }

  /** A gauge read at scrape time from the count given last; registered once, whoever watches again. */
  private watch(name: string, help: string, count: () => number): void {
    if (!this.watched.has(name)) {
      const gauge: Gauge = new Gauge({
        name,
        help,
        registers: [this.registry],
        collect: () => gauge.set(this.watched.get(name)?.() ?? 0),
      });
    }
    this.watched.set(name, count);
  }

  /** The text exposition of this server's metrics and the process's. */
  async text(): Promise<string> {
    const registry = this.withProcess ? Registry.merge([this.registry, processMetrics()]) : this.registry;
    return registry.metrics();
  }

  /** One increment; the labels of a value seen before are not worked out again. */
  private count(
    seen: Map<string, Counter.Internal>,
    value: unknown,
    labels: (v: unknown) => TurnLabels,
  ): void {
    const key = typeof value === 'string' ? value : '';
    let child = seen.get(key);
    if (!child) {
      const { route, outcome } = labels(value);
      child = this.turns.labels(route, outcome);
      if (seen.size < MAX_REMEMBERED_ROUTES) seen.set(key, child);
    }
    child.inc();
  }
}

/**
 * A Logger that forwards every call unchanged to `log` and counts the turn events on the way. It counts
 * before `log` filters by level: `turn.route` is a debug event, counted whatever LOG_LEVEL is.
 */
export function withMetrics(log: Logger, metrics: Metrics): Logger {
  return {
    error: (...args) => {
      metrics.countEvent(...args);
      log.error(...args);
    },
    info: (...args) => {
      metrics.countEvent(...args);
      log.info(...args);
    },
    debug: (...args) => {
      metrics.countEvent(...args);
      log.debug(...args);
    },
  };
}

/** `::ffff:1.2.3.4` and `1.2.3.4` are the same address. */
function normaliseIp(address: string): string {
  const bare = address.trim().toLowerCase();
  return bare.startsWith('::ffff:') && isIP(bare.slice(7)) === 4 ? bare.slice(7) : bare;
}

function isLoopback(address: string): boolean {
  return address === '::1' || (isIP(address) === 4 && address.startsWith('127.'));
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
function bearerOf(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  return /^Bearer +(\S+) *$/i.exec(header)?.[1];
}

/** Equal strings, in time that depends on neither's content nor its length. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export interface MetricsRequest {
  /** The socket's peer address (never X-Forwarded-For). */
  remoteAddress: string | undefined;
  headers: IncomingHttpHeaders;
}

export interface MetricsAccess {
  /** METRICS_TOKEN; empty: only loopback clients may read the metrics. */
  token: string;
  /**
   * TRUSTED_PROXIES: a request whose socket is one of them came through a proxy for someone else, so a
   * proxy on this host does not make every visitor a loopback client.
   */
  trustedProxies: readonly string[];
}

/**
 * Whether a request may read /metrics: a loopback socket that is not a trusted proxy, or the configured
 * bearer token. X-Forwarded-For is never read. Everyone else gets the 404 of an unknown route.
 */
export function mayReadMetrics(request: MetricsRequest, access: MetricsAccess): boolean {
  const remote = normaliseIp(request.remoteAddress ?? '');
  const proxied = access.trustedProxies.some((proxy) => normaliseIp(proxy) === remote);
  if (isLoopback(remote) && !proxied) return true;
  if (access.token === '') return false;
  const given = bearerOf(request.headers.authorization);
  return given !== undefined && sameSecret(given, access.token);
}
