// The recorder the bot calls on a fallback, a "Did you mean" and answer feedback (issue 13). Off by
// default; when off it records nothing. Recording never breaks or slows a turn: writes run in the
// background, and a failure is logged as an event without any text.
import type { Config } from '../config';
import type { Logger } from '../shared/log';
import { redact, REDACTION_VERSION } from './redact';
import {
  BlobRecordStore,
  FileRecordStore,
  type FeedbackRecord,
  type LearningRecord,
  type RecordStore,
  type UnansweredRecord,
} from './records';

export type FeedbackValue = FeedbackRecord['value'];

export interface UnansweredEntry {
  route: UnansweredRecord['route'];
  /** The message as typed: it is redacted here, before anything keeps it. */
  text: string;
  parts: UnansweredRecord['parts'];
}

export interface Recorder {
  readonly enabled: boolean;
  unanswered(entry: UnansweredEntry): void;
  feedback(pairId: string, value: FeedbackValue): void;
  /** Resolves once every record handed over so far is written (or failed). */
  flush(): Promise<void>;
  /** Deletes records older than the retention. */
  sweep(): Promise<void>;
  /** Stops the daily retention sweep and waits for pending writes. */
  close(): Promise<void>;
}

/** Recording switched off: nothing is kept. */
export const offRecorder: Recorder = {
  enabled: false,
  unanswered() {},
  feedback() {},
  flush: async () => {},
  sweep: async () => {},
  close: async () => {},
};

const DAY_MS = 86_400_000;

export interface RecorderOptions {
  store: RecordStore;
  retentionDays: number;
  log: Logger;
  now?: () => Date;
  /** Run the retention sweep now and then daily (the server and console do; tests may not). */
  sweepDaily?: boolean;
}

export function createRecorderWith(options: RecorderOptions): Recorder {
  const { store, retentionDays, log } = options;
  const now = options.now ?? (() => new Date());
  const pending = new Set<Promise<void>>();
  const write = (record: LearningRecord): void => {
    const p = store
      .append([record])
      .catch((err: unknown) =>
        log.error('records.write_failed', { kind: record.kind, error: (err as Error)?.name ?? 'Error' }),
      )
      .finally(() => pending.delete(p));
    pending.add(p);
  };
  const sweep = async (): Promise<void> => {
    try {
      const deleted = await store.deleteBefore(new Date(now().getTime() - retentionDays * DAY_MS));
      log.info('records.retention', { retentionDays, deleted });
    } catch (err) {
      log.error('records.retention_failed', { error: (err as Error)?.name ?? 'Error' });
    }
  };
  let timer: NodeJS.Timeout | undefined;
  let first: Promise<void> | undefined;
  if (options.sweepDaily) {
    first = sweep();
    timer = setInterval(() => void sweep(), DAY_MS);
    timer.unref();
  }
  const flush = async (): Promise<void> => {
    await first;
    while (pending.size > 0) await Promise.all([...pending]);
  };
  return {
    enabled: true,
    unanswered(entry) {
      try {
        write({
          kind: 'unanswered',
          time: now().toISOString(),
          route: entry.route,
          text: redact(entry.text),
          redaction: REDACTION_VERSION,
          parts: entry.parts,
        });
      } catch (err) {
        log.error('records.write_failed', { kind: 'unanswered', error: (err as Error)?.name ?? 'Error' });
      }
    },
    feedback(pairId, value) {
      write({ kind: 'feedback', time: now().toISOString(), pairId, value });
    },
    flush,
    sweep,
    close: async () => {
      if (timer) clearInterval(timer);
      await flush();
    },
  };
}

/** The record store the configuration names: the Blob container when Blob storage is configured, else the file. */
export function recordStoreFor(config: Pick<Config, 'recording' | 'storage'>): RecordStore {
  return config.storage.connectionString !== ''
    ? BlobRecordStore.fromConnectionString(config.storage.connectionString, config.recording.container)
    : new FileRecordStore(config.recording.file);
}

/** The recorder of this configuration: off unless UNANSWERED_RECORDING=on. */
export function createRecorder(
  config: Pick<Config, 'recording' | 'storage'>,
  log: Logger,
  sweepDaily = true,
): Recorder {
  if (!config.recording.enabled) return offRecorder;
  const store = recordStoreFor(config);
  log.info('records.ready', {
    kind: store instanceof FileRecordStore ? 'file' : 'azure-blobs',
    retentionDays: config.recording.retentionDays,
  });
  return createRecorderWith({ store, retentionDays: config.recording.retentionDays, log, sweepDaily });
}
