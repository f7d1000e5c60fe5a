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

/** What a token grants: access until `expiresAt` (clock ms). */
export interface TokenGrant {
  expiresAt: number;
  /** The token this one replaced by a refresh: it stops working once this one is first used. */
  replaces?: string;
  /** Replaced by a newer token: may finish requests in flight, but never refresh again. */
  superseded?: boolean;
}

export interface Conversation {
  readonly id: string;
  readonly user: Account;
  readonly locale: string | undefined;
  /** The client address that opened it, for the per-client share of the conversation cap. */
  readonly owner: string;
  /** Whether the bot has been told about the conversation (conversationUpdate sent). */
  started: boolean;
  /** Clock time of the last request or reply touching the conversation. */
  lastSeen: number;
  readonly log: WireActivity[];
  readonly tokens: Map<string, TokenGrant>;
  readonly listeners: Set<ActivityListener>;
  /** Serialises deliveries to the bot so it sees the user's activities in order. */
  queue: Promise<void>;
  /** Deliveries to the bot queued or under way (bounded by the routes). */
  deliveries: number;
  /** Counter for transient activities (typing) that get ids but no place in the log. */
  transientCount: number;
  /** The user's transient activities: not kept, but they count against the activity cap all the same. */
  userTransients: number;
  /** Size (JSON characters) of the user's activities in the log. */
  userBytes: number;
  /**
   * Activities removed from the start of the log when the bot asked the channel to forget them ("forget
   * me"): ids and watermarks go on counting from the total, and the activity cap still counts them.
   */
  forgotten: number;
}

export interface StoreOptions {
  tokenTtlSeconds: number;
  /** 0 keeps conversations until the process ends. */
  idleMinutes: number;
  now?: () => number;
  maxConversations?: number;
  maxActivitiesPerConversation?: number;
  /** Open conversations one client address may hold; 0 = no share beyond the global cap. */
  maxConversationsPerClient?: number;
}

export type TokenCheck =
  | { ok: true; conversation: Conversation }
  | {
      ok: false;
      status: 403 | 404;
      reason: 'no_conversation' | 'no_token' | 'bad_token' | 'expired_token' | 'superseded_token';
    };

/** The store, a conversation, or a client's share of conversations is full. */
export class StoreFullError extends Error {
  constructor(readonly scope: 'store' | 'conversation' | 'client') {
    super(`${scope} is full`);
  }
}

/**
 * How long a token replaced by a refresh keeps working when its successor is not used: long enough for
 * requests already on their way (DirectLineJS gives up on a request after 20 s). A poll refused with 403
 * would stop DirectLineJS for good, so the old token cannot simply die at the refresh.
 */
const SUPERSEDED_TOKEN_GRACE_MS = 30_000;

// Anyone may open a conversation, so memory is bounded: about 1,000 × 500 small activities at most.
const DEFAULT_MAX_CONVERSATIONS = 1_000;
const DEFAULT_MAX_ACTIVITIES = 500;
/**
 * What a conversation keeps of the user's own activities (JSON characters). Hundreds of typed questions
 * fit; without it, activities of the largest allowed size would multiply memory by the activity cap.
 */
const MAX_USER_BYTES_PER_CONVERSATION = 512 * 1024;

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
  readonly maxPerClient: number;
  private readonly conversations = new Map<string, Conversation>();
  /** client address → open conversations (only addresses holding one). */
  private readonly perClient = new Map<string, number>();
  /** token → conversation id, for the routes that carry only a token. */
  private readonly tokenIndex = new Map<string, string>();
  private readonly evictionListeners = new Set<(conversation: Conversation) => void>();

  constructor(options: StoreOptions) {
    this.now = options.now ?? Date.now;
    this.tokenTtlMs = options.tokenTtlSeconds * 1000;
    this.idleMs = options.idleMinutes * 60_000;
    this.maxConversations = options.maxConversations ?? DEFAULT_MAX_CONVERSATIONS;
    this.maxActivities = options.maxActivitiesPerConversation ?? DEFAULT_MAX_ACTIVITIES;
    this.maxPerClient = options.maxConversationsPerClient ?? 0;
  }

  get size(): number {
    return this.conversations.size;
  }

  /** A new conversation for `owner` (a client address); StoreFullError when the store or the owner's share is full. */
  create(user: Account, locale: string | undefined, owner: string): Conversation {
    this.sweep();
    if (this.conversations.size >= this.maxConversations) throw new StoreFullError('store');
    const held = this.perClient.get(owner) ?? 0;
    if (this.maxPerClient > 0 && held >= this.maxPerClient) throw new StoreFullError('client');
    const conversation: Conversation = {
      id: randomId(18),
      user,
      locale,
      owner,
      started: false,
      lastSeen: this.now(),
      log: [],
      tokens: new Map(),
      listeners: new Set(),
      queue: Promise.resolve(),
      deliveries: 0,
      transientCount: 0,
      userTransients: 0,
      userBytes: 0,
      forgotten: 0,
    };
    this.conversations.set(conversation.id, conversation);
    this.perClient.set(owner, held + 1);
    return conversation;
  }

  /**
   * A fresh token for the conversation. With `replacing` (a refresh) the old token is superseded: it
   * stops working when the new one is first used, or after a short grace, whichever comes first.
   */
  issueToken(conversation: Conversation, replacing?: string): { token: string; expiresIn: number } {
    const now = this.now();
    for (const [token, grant] of conversation.tokens) {
      if (grant.expiresAt <= now) this.forgetToken(conversation, token);
    }
    const old = replacing === undefined ? undefined : conversation.tokens.get(replacing);
    if (old) {
      old.superseded = true;
      old.expiresAt = Math.min(old.expiresAt, now + SUPERSEDED_TOKEN_GRACE_MS);
    }
    const token = randomId(32);
    conversation.tokens.set(token, {
      expiresAt: now + this.tokenTtlMs,
      ...(old ? { replaces: replacing } : {}),
    });
    this.tokenIndex.set(token, conversation.id);
    return { token, expiresIn: Math.round(this.tokenTtlMs / 1000) };
  }

  /**
   * Checks that `token` grants access to conversation `id` (unknown conversation → 404, else bad token →
   * 403). A refresh needs a token that has not been superseded. Using a token retires the one it replaced.
   */
  authorize(id: string, token: string | undefined, purpose: 'use' | 'refresh' = 'use'): TokenCheck {
    const conversation = this.live(id);
    if (!conversation) return { ok: false, status: 404, reason: 'no_conversation' };
    if (!token) return { ok: false, status: 403, reason: 'no_token' };
    const grant = conversation.tokens.get(token);
    if (grant === undefined) return { ok: false, status: 403, reason: 'bad_token' };
    if (grant.expiresAt <= this.now()) return { ok: false, status: 403, reason: 'expired_token' };
    if (purpose === 'refresh' && grant.superseded)
      return { ok: false, status: 403, reason: 'superseded_token' };
    if (grant.replaces !== undefined) {
      this.forgetToken(conversation, grant.replaces);
      delete grant.replaces;
    }
    this.touch(conversation);
    return { ok: true, conversation };
  }

  /** Finds the conversation a token belongs to (for requests that name no conversation). */
  authorizeToken(token: string | undefined, purpose: 'use' | 'refresh' = 'use'): TokenCheck {
    if (!token) return { ok: false, status: 403, reason: 'no_token' };
    const id = this.tokenIndex.get(token);
    if (id === undefined) return { ok: false, status: 403, reason: 'bad_token' };
    return this.authorize(id, token, purpose);
  }

  /** Whether `token` still opens `conversation` (for streams opened with it), without counting as a use. */
  tokenValid(conversation: Conversation, token: string): boolean {
    const grant = conversation.tokens.get(token);
    return (
      grant !== undefined &&
      grant.expiresAt > this.now() &&
      this.conversations.get(conversation.id) === conversation
    );
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

  /**
   * Records an activity: typing is only pushed to the listeners, everything else is stored too. All the
   * user sends counts against the activity cap, typing included; the bot's typing does not (it comes
   * with the bot's turns, which the user's messages already bound).
   */
  add(conversation: Conversation, activity: WireActivity, sender: 'user' | 'bot'): WireActivity {
    if (sender === 'bot') {
      return activity.type === 'typing'
        ? this.pushTransient(conversation, activity)
        : this.append(conversation, activity);
    }
    if (this.isFull(conversation)) throw new StoreFullError('conversation');
    if (activity.type === 'typing') {
      conversation.userTransients += 1;
      return this.pushTransient(conversation, activity);
    }
    const size = JSON.stringify(activity).length;
    if (conversation.userBytes + size > MAX_USER_BYTES_PER_CONVERSATION) {
      throw new StoreFullError('conversation');
    }
    const stored = this.append(conversation, activity);
    conversation.userBytes += size;
    return stored;
  }

  isFull(conversation: Conversation): boolean {
    return this.total(conversation) + conversation.userTransients >= this.maxActivities;
  }

  /** Activities ever stored in the conversation, forgotten ones included: the next id and the watermark. */
  private total(conversation: Conversation): number {
    return conversation.forgotten + conversation.log.length;
  }

  /**
   * Forgets the conversation's transcript: every activity stored so far is dropped from memory, so no
   * client can read it again (GET .../activities, a stream's replay). The conversation, its tokens and
   * its open streams stay, and ids and watermarks go on from where they were.
   */
  forget(conversation: Conversation): number {
    const dropped = conversation.log.length;
    conversation.forgotten += dropped;
    conversation.log.splice(0, dropped);
    this.touch(conversation);
    return dropped;
  }

  /** Stores an activity with the next id and a server timestamp and pushes it to the listeners. */
  append(conversation: Conversation, activity: WireActivity): WireActivity {
    if (this.isFull(conversation)) throw new StoreFullError('conversation');
    const sequence = this.total(conversation);
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
    const total = this.total(conversation);
    const from = parseWatermark(watermark, total);
    return {
      activities: conversation.log.slice(Math.max(0, from - conversation.forgotten)),
      watermark: String(total),
    };
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
    const held = (this.perClient.get(conversation.owner) ?? 1) - 1;
    if (held > 0) this.perClient.set(conversation.owner, held);
    else this.perClient.delete(conversation.owner);
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
    const set: ActivitySet = { activities, watermark: String(this.total(conversation)) };
    for (const listener of conversation.listeners) listener(set);
  }
}

function parseWatermark(watermark: string | undefined, length: number): number {
  if (watermark === undefined || !/^\d{1,9}$/.test(watermark)) return 0;
  const value = Number(watermark);
  return value <= length ? value : 0;
}
