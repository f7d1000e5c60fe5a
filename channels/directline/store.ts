// In-memory conversations of the local Direct Line channel: tokens, the activity log, live listeners.
// Everything here is synchronous, so a listener added right after reading the log never misses an activity.
import { randomBytes } from 'node:crypto';

/** An activity as it travels as JSON on the Direct Line and Bot Connector wires. */
export interface WireActivity {
  type: string;
  id?: string;
  timestamp?: string;
  from?: Account;
  recipient?: Account;
  conversation?: { id: string; [key: string]: unknown };
  channelId?: string;
  serviceUrl?: string;
  replyToId?: string;
  channelData?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Account {
  id: string;
  name?: string;
  role?: string;
  [key: string]: unknown;
}

/** What the client receives: on the socket as a frame, and from GET .../activities. */
export interface ActivitySet {
  activities: WireActivity[];
  watermark: string;
}

export type ActivityListener = (set: ActivitySet) => void;

export interface Conversation {
  readonly id: string;
  readonly user: Account;
  readonly locale: string | undefined;
  /** Whether the bot has been told about the conversation (conversationUpdate sent). */
  started: boolean;
  /** Clock time of the last request or reply touching the conversation. */
  lastSeen: number;
  readonly log: WireActivity[];
  /** token → expiry (clock ms). */
  readonly tokens: Map<string, number>;
  readonly listeners: Set<ActivityListener>;
  /** Serialises deliveries to the bot so it sees the user's activities in order. */
  queue: Promise<void>;
  /** Counter for transient activities (typing) that get ids but no place in the log. */
  transientCount: number;
}

export interface StoreOptions {
  tokenTtlSeconds: number;
  /** 0 keeps conversations until the process ends. */
  idleMinutes: number;
  now?: () => number;
  maxConversations?: number;
  maxActivitiesPerConversation?: number;
}

export type TokenCheck =
  | { ok: true; conversation: Conversation }
  | { ok: false; status: 403 | 404; reason: 'no_conversation' | 'no_token' | 'bad_token' | 'expired_token' };

export class StoreFullError extends Error {}

// Anyone may open a conversation, so memory is bounded: about 1,000 × 500 small activities at most.
export const DEFAULT_MAX_CONVERSATIONS = 1_000;
export const DEFAULT_MAX_ACTIVITIES = 500;

export function randomId(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** Reads the token from an `Authorization: Bearer …` header; clients without one send "Bearer undefined". */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match || match[1] === 'undefined' || match[1] === 'null') return undefined;
  return match[1];
}

export class ConversationStore {
  readonly now: () => number;
  readonly tokenTtlMs: number;
  readonly idleMs: number;
  readonly maxConversations: number;
  readonly maxActivities: number;
  private readonly conversations = new Map<string, Conversation>();
  /** token → conversation id, for the routes that carry only a token. */
  private readonly tokenIndex = new Map<string, string>();
  private readonly evictionListeners = new Set<(conversation: Conversation) => void>();

  constructor(options: StoreOptions) {
    this.now = options.now ?? Date.now;
    this.tokenTtlMs = options.tokenTtlSeconds * 1000;
    this.idleMs = options.idleMinutes * 60_000;
    this.maxConversations = options.maxConversations ?? DEFAULT_MAX_CONVERSATIONS;
    this.maxActivities = options.maxActivitiesPerConversation ?? DEFAULT_MAX_ACTIVITIES;
  }

  get size(): number {
    return this.conversations.size;
  }

  create(user: Account, locale?: string): Conversation {
    this.sweep();
    if (this.conversations.size >= this.maxConversations) throw new StoreFullError('too many conversations');
    const conversation: Conversation = {
      id: randomId(18),
      user,
      locale,
      started: false,
      lastSeen: this.now(),
      log: [],
      tokens: new Map(),
      listeners: new Set(),
      queue: Promise.resolve(),
      transientCount: 0,
    };
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  /** A fresh token for the conversation; earlier tokens stay valid until they expire. */
  issueToken(conversation: Conversation): { token: string; expiresIn: number } {
    const now = this.now();
    for (const [token, expiry] of conversation.tokens) {
      if (expiry <= now) this.forgetToken(conversation, token);
    }
    const token = randomId(32);
    conversation.tokens.set(token, now + this.tokenTtlMs);
    this.tokenIndex.set(token, conversation.id);
    return { token, expiresIn: Math.round(this.tokenTtlMs / 1000) };
  }

  /** Checks that `token` grants access to conversation `id` (unknown conversation → 404, else bad token → 403). */
  authorize(id: string, token: string | undefined): TokenCheck {
    const conversation = this.live(id);
    if (!conversation) return { ok: false, status: 404, reason: 'no_conversation' };
    if (!token) return { ok: false, status: 403, reason: 'no_token' };
    const expiry = conversation.tokens.get(token);
    if (expiry === undefined) return { ok: false, status: 403, reason: 'bad_token' };
    if (expiry <= this.now()) return { ok: false, status: 403, reason: 'expired_token' };
    this.touch(conversation);
    return { ok: true, conversation };
  }

  /** Finds the conversation a token belongs to (for requests that name no conversation). */
  authorizeToken(token: string | undefined): TokenCheck {
    if (!token) return { ok: false, status: 403, reason: 'no_token' };
    const id = this.tokenIndex.get(token);
    if (id === undefined) return { ok: false, status: 403, reason: 'bad_token' };
    return this.authorize(id, token);
  }

  /** The bot's side: no token, the connector route is reached through a private service URL. */
  find(id: string): Conversation | undefined {
    const conversation = this.live(id);
    if (conversation) this.touch(conversation);
    return conversation;
  }

  touch(conversation: Conversation): void {
    conversation.lastSeen = this.now();
  }

  /** Stores an activity with the next id and a server timestamp and pushes it to the listeners. */
  append(conversation: Conversation, activity: WireActivity): WireActivity {
    if (conversation.log.length >= this.maxActivities) throw new StoreFullError('conversation is full');
    const sequence = conversation.log.length;
    const stored: WireActivity = {
      ...activity,
      id: `${conversation.id}|${String(sequence).padStart(7, '0')}`,
      timestamp: new Date(this.now()).toISOString(),
      conversation: { id: conversation.id },
    };
    conversation.log.push(stored);
    this.touch(conversation);
    this.notify(conversation, [stored]);
    return stored;
  }

  /** Gives a transient activity (typing) an id and timestamp and pushes it without storing it. */
  pushTransient(conversation: Conversation, activity: WireActivity): WireActivity {
    conversation.transientCount += 1;
    const sent: WireActivity = {
      ...activity,
      id: `${conversation.id}|t${conversation.transientCount}`,
      timestamp: new Date(this.now()).toISOString(),
      conversation: { id: conversation.id },
    };
    this.touch(conversation);
    this.notify(conversation, [sent]);
    return sent;
  }

  /**
   * The activities after `watermark` (the number of activities the client already has).
   * A missing, malformed or out-of-range watermark replays from the start.
   */
  since(conversation: Conversation, watermark: string | undefined): ActivitySet {
    const from = parseWatermark(watermark, conversation.log.length);
    return { activities: conversation.log.slice(from), watermark: String(conversation.log.length) };
  }

  subscribe(conversation: Conversation, listener: ActivityListener): () => void {
    conversation.listeners.add(listener);
    return () => conversation.listeners.delete(listener);
  }

  onEvict(listener: (conversation: Conversation) => void): () => void {
    this.evictionListeners.add(listener);
    return () => this.evictionListeners.delete(listener);
  }

  /** Drops conversations idle for longer than idleMinutes; returns how many were dropped. */
  sweep(): number {
    let dropped = 0;
    for (const conversation of [...this.conversations.values()]) {
      if (this.isIdle(conversation)) {
        this.remove(conversation);
        dropped += 1;
      }
    }
    return dropped;
  }

  private isIdle(conversation: Conversation): boolean {
    return this.idleMs > 0 && this.now() - conversation.lastSeen >= this.idleMs;
  }

  /** The conversation if it exists and is not idle past the limit (an idle one is dropped on the spot). */
  private live(id: string): Conversation | undefined {
    const conversation = this.conversations.get(id);
    if (conversation && this.isIdle(conversation)) {
      this.remove(conversation);
      return undefined;
    }
    return conversation;
  }

  /** Forgets every conversation (shutdown). */
  clear(): void {
    for (const conversation of [...this.conversations.values()]) this.remove(conversation);
  }

  private remove(conversation: Conversation): void {
    this.conversations.delete(conversation.id);
    for (const token of conversation.tokens.keys()) this.tokenIndex.delete(token);
    conversation.tokens.clear();
    for (const listener of this.evictionListeners) listener(conversation);
    conversation.listeners.clear();
  }

  private forgetToken(conversation: Conversation, token: string): void {
    conversation.tokens.delete(token);
    this.tokenIndex.delete(token);
  }

  private notify(conversation: Conversation, activities: WireActivity[]): void {
    const set: ActivitySet = { activities, watermark: String(conversation.log.length) };
    for (const listener of conversation.listeners) listener(set);
  }
}

function parseWatermark(watermark: string | undefined, length: number): number {
  if (watermark === undefined || !/^\d{1,9}$/.test(watermark)) return 0;
  const value = Number(watermark);
  return value <= length ? value : 0;
}
