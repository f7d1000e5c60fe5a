// Where conversation state lives: Azure Blob Storage when a connection string is configured (it survives
// restarts and is shared by every instance), memory otherwise (one instance, lost on restart).
import { MemoryStorage, type Storage, type StoreItems } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import type { Config } from '../config';
import type { Logger } from './log';

export function createStorage(config: Config['storage'], log: Logger): Storage {
  if (config.connectionString === '') {
    log.info('storage.ready', { kind: 'memory' });
    return new MemoryStorage();
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
