// Where conversation state lives: Azure Blob Storage when a connection string is configured (it survives
// restarts and is shared by every instance), memory otherwise (one instance, lost on restart).
import { type Storage, type StoreItems } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config';
import type { Logger } from '../shared/log';

export function createStorage(config: Config['storage'], log: Logger): Storage {
  if (config.connectionString === '') {
    log.info('storage.ready', {
      kind: 'memory',
      idleMinutes: config.memoryIdleMinutes,
      maxConversations: config.memoryMaxConversations,
    });
    return new BoundedMemoryStorage({
      maxItems: config.memoryMaxConversations,
      idleMs: config.memoryIdleMinutes * 60_000,
    });
  }
  const make = (): Storage => new BlobsStorage(config.connectionString, config.container);
  try {
    // Parses the connection string now, so a malformed one stops the start rather than the first turn.
    make();
  } catch {
    // The SDK's message could quote part of the string, which holds the account key: say only which setting.
    throw new Error('AZURE_STORAGE_CONNECTION_STRING is not a valid Azure Storage connection string');
  }
  // BlobsStorage creates the container on its first read or write (createIfNotExists).
  log.info('storage.ready', { kind: 'azure-blobs', container: config.container });
  return new RenewingStorage(make);
}

/**
 * BlobsStorage remembers its first "create the container" attempt for good, so one failure (storage
 * unreachable at the first turn) would fail every later turn until a restart. After any failure the next
 * call goes through a fresh instance, which tries again.
 */
export class RenewingStorage implements Storage {
  private inner: Storage;

  constructor(private readonly make: () => Storage) {
    this.inner = make();
  }

  read(keys: string[]): Promise<StoreItems> {
    return this.call((s) => s.read(keys));
  }

  write(changes: StoreItems): Promise<void> {
    return this.call((s) => s.write(changes));
  }

  delete(keys: string[]): Promise<void> {
    return this.call((s) => s.delete(keys));
  }

  private async call<T>(op: (s: Storage) => Promise<T>): Promise<T> {
    const current = this.inner;
    try {
      return await op(current);
    } catch (err) {
      if (this.inner === current) this.inner = this.make();
      throw err;
    }
  }
}

export interface BoundedMemoryOptions {
  /** Most items kept; the least recently used goes first. */
  maxItems: number;
  /** An item unused this long is gone (0: kept until pushed out by maxItems). */
  idleMs: number;
  /** Clock in ms (tests move it forward). */
  now?: () => number;
}

interface Stored {
  json: string;
  eTag: string;
}

/**
 * MemoryStorage with bounds: the SDK's keeps every key it was ever given, and the keys are the caller's
 * conversation and user ids, so memory would grow with every new conversation for as long as the
 * process lives. Same contract otherwise: items are copied in and out as JSON, and a write whose eTag
 * is neither "*" nor the stored one is refused, as MemoryStorage does.
 */
export class BoundedMemoryStorage implements Storage {
  private readonly items: LRUCache<string, Stored>;
  private nextETag = 1;

  constructor(options: BoundedMemoryOptions) {
    this.items = new LRUCache<string, Stored>({
      max: Math.max(1, options.maxItems),
      ...(options.idleMs > 0 ? { ttl: options.idleMs, updateAgeOnGet: true } : {}),
      // An injected clock is read every time: lru-cache otherwise reuses a reading for a timer tick.
      ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
    });
  }

  get size(): number {
    return this.items.size;
  }

  async read(keys: string[]): Promise<StoreItems> {
    const found: StoreItems = {};
    for (const key of keys) {
      const item = this.items.get(key);
      if (item) found[key] = { ...JSON.parse(item.json), eTag: item.eTag };
    }
    return found;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, value] of Object.entries(changes)) {
      const { eTag, ...rest } = (value ?? {}) as { eTag?: string };
      const old = this.items.get(key);
      if (old && eTag && eTag !== '*' && eTag !== old.eTag) {
        throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
      }
      this.items.set(key, { json: JSON.stringify(rest), eTag: String(this.nextETag++) });
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.items.delete(key);
  }
}
