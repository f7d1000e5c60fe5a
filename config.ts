// The only module that reads process.env. Everything else receives a Config.
import 'dotenv/config';
import { MEDICINE_ID } from './knowledge/medicines';

export interface BotAuthConfig {
  MicrosoftAppType: string;
  MicrosoftAppId: string;
  MicrosoftAppPassword: string;
  MicrosoftAppTenantId: string;
}

export interface Config {
  port: number;
  /** Public base URL of this server (used for the local Direct Line stream URL, Teams valid domains, embed.js). */
  publicBaseUrl: string | undefined;
  auth: BotAuthConfig;
  /**
   * Anonymous mode only: serviceUrl origins, besides loopback ones, that /api/messages may send replies to.
   * Without an app id nothing authenticates the caller, so any other serviceUrl is refused.
   */
  anonymousServiceUrls: string[];
  /** Emergency phone number given with urgent advice. */
  emergencyNumber: string;
  /**
   * LEAFLET_URL: one package leaflet link for every medicine served, in place of each medicine's own (its
   * medicine.json, or the EMA product-information PDF); meant for a deployment serving one medicine.
   * Empty: each medicine's own.
   */
  leafletUrl: string;
  /**
   * LEAFLET_COUNTRY: the deployment's country (ISO 3166 code, lower case), whose leaflet a medicine's
   * medicine.json may list; empty, or no leaflet for it: the medicine's default leaflet.
   */
  leafletCountry: string;
  /**
   * What the deployment calls itself, for a hospital serving several medicines: DEPLOYMENT_NAME (the bot's
   * name on the page, in the widget and in Teams) and LAUNCHER_TEXT (the widget's button). Empty: with one
   * medicine, named after it ("<medicine> info", "Questions about <medicine>?"); with several, generic.
   */
  deployment: {
    name: string;
    launcherText: string;
  };
  /** Log verbosity; message text and user ids are never logged whatever the level. */
  logLevel: 'error' | 'info' | 'debug';
  /** Abuse limits of the HTTP surface shared by every route. */
  http: {
    /**
     * Addresses of reverse proxies in front of this server. Only a request arriving from one of them has
     * its X-Forwarded-For believed; everyone else is known by the socket's address.
     */
    trustedProxies: string[];
    /**
     * Per client address, on the public routes (local Direct Line, the Azure token exchange, and
     * /api/messages in anonymous mode): requests per minute and the burst above that rate. 0 turns it off.
     * Authenticated Bot Connector traffic is not limited by address: all of Teams arrives from a few.
     */
    messagesPerMinute: number;
    messageBurst: number;
    /** How long sending a reply to a channel's serviceUrl may take before the turn gives up (ms). */
    replyTimeoutMs: number;
  };
  directLine: {
    /** Azure Direct Line secret; when empty the page uses the built-in local Direct Line channel. */
    secret: string;
    /** Azure Direct Line endpoint (overridable for tests and regional endpoints). */
    endpoint: string;
    /** Origins allowed to fetch tokens and embed the widget. */
    allowedOrigins: string[];
    /** Local channel: token lifetime and idle-conversation eviction. */
    tokenTtlSeconds: number;
    idleMinutes: number;
    /** Local channel: memory bounds (open conversations, activities kept per conversation). */
    maxConversations: number;
    maxActivitiesPerConversation: number;
    /**
     * Per client address: conversations (local channel) and Azure tokens started per minute, and the
     * burst allowed above that rate. 0 in either turns the limit off.
     */
    startsPerMinute: number;
    startBurst: number;
    /** Local channel: the share of maxConversations one client address may hold open. */
    maxConversationsPerClient: number;
    /** Local channel: open WebSocket streams per conversation and per client address. */
    maxStreamsPerConversation: number;
    maxStreamsPerClient: number;
  };
  /**
   * Conversation state. With a connection string, Azure Blob Storage (survives restarts, shared by several
   * instances); empty, memory (one instance, lost on restart).
   */
  storage: {
    connectionString: string;
    container: string;
    /**
     * Memory storage only: state of a conversation unused this long is dropped (0 keeps it), and at most
     * this many conversations are kept, the least recently used dropped first.
     */
    memoryIdleMinutes: number;
    memoryMaxConversations: number;
  };
  /**
   * GET /metrics: open to loopback clients; anyone else needs `Authorization: Bearer <token>` with this
   * token (empty: nobody else).
   */
  metrics: {
    token: string;
  };
  /**
   * The pharmacy helpdesk (issue 13): the contacts offered when a patient asks for a person or the bot
   * could not answer twice in a row (empty: the reply points to the treating doctor or pharmacist), and
   * the national side-effect reporting page of the deployment's country (empty: the leaflet's list).
   */
  helpdesk: {
    contacts: HelpdeskContact[];
    sideEffectReportingUrl: string;
    /**
     * A contact-centre hub takes conversations over (HELPDESK_HANDOFF=on): the helpdesk offer carries
     * "Connect me", and the recent transcript it hands over is kept in conversation state. Off by default:
     * without a hub there is nothing to connect to, and no patient messages are kept.
     */
    handoff: boolean;
  };
  /** Teams users (AAD object ids or Teams user ids) who see the staff view with each answer. */
  staff: {
    teamsUserIds: string[];
  };
  /**
   * Learning from unanswered questions (issue 13): off by default. When on, fallbacks, "Did you mean" and
   * answer feedback are recorded without user or conversation ids, the message with personal data removed
   * as far as patterns can. Records go to Azure Blob Storage when `storage.connectionString` is set (an
   * append blob per day in `container`), else to the JSON-lines `file`; older than `retentionDays` deleted.
   */
  recording: {
    enabled: boolean;
    file: string;
    container: string;
    retentionDays: number;
  };
  teams: {
    appId: string;
    developerName: string;
    websiteUrl: string;
    privacyUrl: string;
    termsUrl: string;
  };
  /**
   * The medicines served: their folder names under `dir` (MEDICINES, comma-separated; empty: every medicine
   * there) and the folder holding them (MEDICINES_DIR; default knowledge/medicines).
   */
  medicines: { ids: string[]; dir: string | undefined };
}

/** One line of the helpdesk: a hospital pharmacy, a treatment centre. A phone, a web page, or both. */
export interface HelpdeskContact {
  name: string;
  phone?: string;
  hours?: string;
  url?: string;
}

type Env = Record<string, string | undefined>;

function httpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * HELPDESK_CONTACTS: a JSON array of {name, phone?, hours?, url?}. Checked here, so a typo fails at
 * start-up with the variable's name and the entry, not as a broken card in front of a patient.
 */
function helpdeskContactsFrom(env: Env): HelpdeskContact[] {
  const raw = env.HELPDESK_CONTACTS?.trim();
  if (!raw) return [];
  const fail = (why: string): never => {
    throw new Error(
      `HELPDESK_CONTACTS ${why}; expected a JSON array like [{"name":"Hospital pharmacy","phone":"+44 20 7946 0000","hours":"Mon-Fri 9:00-17:00","url":"https://…"}]`,
    );
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    return fail(`is not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(parsed)) return fail('must be a JSON array');
  const keys = new Set(['name', 'phone', 'hours', 'url']);
  return parsed.map((entry: unknown, i): HelpdeskContact => {
    const at = `entry ${i + 1}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(`${at} must be an object`);
    const fields = entry as Record<string, unknown>;
    for (const key of Object.keys(fields))
      if (!keys.has(key)) fail(`${at} has an unknown field "${key}" (name, phone, hours, url)`);
    for (const key of keys)
      if (fields[key] !== undefined && (typeof fields[key] !== 'string' || fields[key].trim() === ''))
        fail(`${at}: "${key}" must be a non-empty string`);
    const { name, phone, hours, url } = fields as Partial<Record<string, string>>;
    if (name === undefined) return fail(`${at} needs a "name"`);
    if (phone === undefined && url === undefined) fail(`${at} needs a "phone" or a "url"`);
    if (phone !== undefined && !/^\+?\d[\d -]*\d$/.test(phone.trim()))
      fail(`${at}: "phone" may hold only digits, spaces, hyphens and a leading +, got "${phone}"`);
    if (url !== undefined && !httpUrl(url.trim()))
      fail(`${at}: "url" must be an http(s) address, got "${url}"`);
    return {
      name: name.trim(),
      ...(phone !== undefined ? { phone: phone.trim() } : {}),
      ...(hours !== undefined ? { hours: hours.trim() } : {}),
      ...(url !== undefined ? { url: url.trim() } : {}),
    };
  });
}

function reportingUrlFrom(env: Env): string {
  const url = env.SIDE_EFFECT_REPORTING_URL?.trim() ?? '';
  if (url !== '' && !httpUrl(url)) {
    throw new Error(`SIDE_EFFECT_REPORTING_URL must be an http(s) address, got "${url}"`);
  }
  return url;
}

function leafletUrlFrom(env: Env): string {
  const url = env.LEAFLET_URL?.trim() ?? '';
  if (url !== '' && !httpUrl(url)) throw new Error(`LEAFLET_URL must be an http(s) address, got "${url}"`);
  return url;
}

function countryFrom(env: Env): string {
  const country = env.LEAFLET_COUNTRY?.trim().toLowerCase() ?? '';
  if (country !== '' && !/^[a-z]{2}$/.test(country)) {
    throw new Error(
      `LEAFLET_COUNTRY must be a two-letter country code (e.g. "de"), got "${env.LEAFLET_COUNTRY}"`,
    );
  }
  return country;
}

/** A name shown to patients: one line, and short enough for a Teams app name (30 characters). */
function deploymentFrom(env: Env): Config['deployment'] {
  const text = (name: string, max: number): string => {
    const value = (env[name] ?? '').trim();
    if (/[\r\n]/.test(value) || value.length > max)
      throw new Error(`${name} must be one line of at most ${max} characters, got "${env[name]}"`);
    return value;
  };
  return { name: text('DEPLOYMENT_NAME', 30), launcherText: text('LAUNCHER_TEXT', 60) };
}

function intFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

/** An on/off setting (empty: off). */
function switchFrom(env: Env, name: string): boolean {
  const value = (env[name] ?? '').trim().toLowerCase();
  if (value === '' || value === 'off') return false;
  if (value === 'on') return true;
  throw new Error(`${name} must be "on" or "off", got "${env[name]}"`);
}

function listFrom(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Azure's container naming rule, checked here so a bad name fails at startup, not on the first turn. */
function containerFrom(env: Env): string {
  const name = env.AZURE_STORAGE_CONTAINER?.trim() || 'bot-state';
  if (!/^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) {
    throw new Error(
      `AZURE_STORAGE_CONTAINER must be 3-63 lowercase letters, digits and single hyphens, got "${name}"`,
    );
  }
  return name;
}

function recordingFrom(env: Env): Config['recording'] {
  const raw = (env.UNANSWERED_RECORDING ?? '').trim().toLowerCase();
  if (!['', 'on', 'off'].includes(raw)) {
    throw new Error(`UNANSWERED_RECORDING must be on or off, got "${env.UNANSWERED_RECORDING}"`);
  }
  const container = env.UNANSWERED_CONTAINER?.trim() || 'unanswered-questions';
  if (!/^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/.test(container)) {
    throw new Error(
      `UNANSWERED_CONTAINER must be 3-63 lowercase letters, digits and single hyphens, got "${container}"`,
    );
  }
  const retentionDays = intFrom(env, 'UNANSWERED_RETENTION_DAYS', 90);
  if (retentionDays < 1) throw new Error('UNANSWERED_RETENTION_DAYS must be at least 1');
  return {
    enabled: raw === 'on',
    file: env.UNANSWERED_FILE?.trim() || 'data/unanswered.jsonl',
    container,
    retentionDays,
  };
}

/** A short token could be guessed: refuse it at startup. The message never quotes it. */
function metricsTokenFrom(env: Env): string {
  const token = env.METRICS_TOKEN?.trim() ?? '';
  if (token !== '' && (token.length < 16 || /\s/.test(token))) {
    throw new Error('METRICS_TOKEN must be at least 16 characters with no spaces (or empty)');
  }
  return token;
}

export function loadConfig(env: Env = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!['error', 'info', 'debug'].includes(logLevel)) {
    throw new Error(`LOG_LEVEL must be error, info or debug, got "${env.LOG_LEVEL}"`);
  }
  return {
    port: intFrom(env, 'PORT', 3978),
    publicBaseUrl: env.PUBLIC_BASE_URL?.replace(/\/+$/, '') || undefined,
    auth: {
      MicrosoftAppType: env.MicrosoftAppType ?? 'MultiTenant',
      MicrosoftAppId: env.MicrosoftAppId ?? '',
      MicrosoftAppPassword: env.MicrosoftAppPassword ?? '',
      MicrosoftAppTenantId: env.MicrosoftAppTenantId ?? '',
    },
    anonymousServiceUrls: listFrom(env, 'ANONYMOUS_SERVICE_URLS'),
    emergencyNumber: env.EMERGENCY_NUMBER?.trim() || '112',
    leafletUrl: leafletUrlFrom(env),
    leafletCountry: countryFrom(env),
    deployment: deploymentFrom(env),
    logLevel,
    http: {
      trustedProxies: listFrom(env, 'TRUSTED_PROXIES'),
      messagesPerMinute: intFrom(env, 'MESSAGES_PER_MINUTE', 120),
      messageBurst: intFrom(env, 'MESSAGE_BURST', 60),
      replyTimeoutMs: intFrom(env, 'REPLY_TIMEOUT_MS', 5000),
    },
    directLine: {
      secret: env.DIRECT_LINE_SECRET ?? '',
      endpoint: (env.DIRECT_LINE_ENDPOINT?.trim() || 'https://directline.botframework.com').replace(
        /\/+$/,
        '',
      ),
      allowedOrigins: listFrom(env, 'ALLOWED_ORIGINS'),
      tokenTtlSeconds: intFrom(env, 'DIRECT_LINE_TOKEN_TTL_SECONDS', 1800),
      idleMinutes: intFrom(env, 'DIRECT_LINE_IDLE_MINUTES', 60),
      maxConversations: intFrom(env, 'DIRECT_LINE_MAX_CONVERSATIONS', 1000),
      maxActivitiesPerConversation: intFrom(env, 'DIRECT_LINE_MAX_ACTIVITIES', 500),
      startsPerMinute: intFrom(env, 'CONVERSATION_STARTS_PER_MINUTE', 10),
      startBurst: intFrom(env, 'CONVERSATION_START_BURST', 20),
      maxConversationsPerClient: intFrom(env, 'DIRECT_LINE_MAX_CONVERSATIONS_PER_CLIENT', 50),
      maxStreamsPerConversation: intFrom(env, 'DIRECT_LINE_MAX_STREAMS_PER_CONVERSATION', 4),
      maxStreamsPerClient: intFrom(env, 'DIRECT_LINE_MAX_STREAMS_PER_CLIENT', 100),
    },
    storage: {
      connectionString: env.AZURE_STORAGE_CONNECTION_STRING?.trim() ?? '',
      container: containerFrom(env),
      memoryIdleMinutes: intFrom(env, 'STATE_IDLE_MINUTES', 60),
      memoryMaxConversations: intFrom(env, 'STATE_MAX_CONVERSATIONS', 20_000),
    },
    metrics: {
      token: metricsTokenFrom(env),
    },
    helpdesk: {
      contacts: helpdeskContactsFrom(env),
      sideEffectReportingUrl: reportingUrlFrom(env),
      handoff: switchFrom(env, 'HELPDESK_HANDOFF'),
    },
    staff: {
      teamsUserIds: listFrom(env, 'STAFF_TEAMS_USER_IDS'),
    },
    recording: recordingFrom(env),
    teams: {
      appId: env.TEAMS_APP_ID ?? '',
      developerName: env.TEAMS_DEVELOPER_NAME?.trim() || 'Hospital Pharmacy',
      websiteUrl: env.TEAMS_WEBSITE_URL?.trim() || 'https://example.org/medicine-bot',
      privacyUrl: env.TEAMS_PRIVACY_URL?.trim() || 'https://example.org/medicine-bot/privacy',
      termsUrl: env.TEAMS_TERMS_URL?.trim() || 'https://example.org/medicine-bot/terms',
    },
    medicines: medicinesFrom(env),
  };
}

function medicinesFrom(env: Env): Config['medicines'] {
  const ids = listFrom(env, 'MEDICINES').map((id) => id.toLowerCase());
  const bad = ids.find((id) => !MEDICINE_ID.test(id));
  if (bad !== undefined) throw new Error(`MEDICINES: "${bad}" is not a medicine folder name (a-z, 0-9, -)`);
  return { ids, dir: env.MEDICINES_DIR?.trim() || undefined };
}
