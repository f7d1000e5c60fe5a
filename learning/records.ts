// Where the records of unanswered questions and answer feedback live (issue 13). They are not
// conversation state: the Bot Framework's Storage can neither list nor expire, and memory state is
// evicted. Two stores: a local JSON-lines file (one instance), or Azure Blob Storage with an append blob
// per day, so that several instances add to one report. Each deletes records older than the retention.
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ContainerClient } from '@azure/storage-blob';

/** A message the bot could not answer, or answered with "Did you mean". No user or conversation ids. */
export interface UnansweredRecord {
  kind: 'unanswered';
  time: string;
  /** The FAQ outcome: fallback, suggested ("Did you mean"), or mixed (some parts answered, some not). */
  route: 'fallback' | 'suggested' | 'mixed';
  /** The message, personal data removed as far as the patterns in redaction.json can. */
  text: string;
  /** The version of the redaction patterns applied. */
  redaction: string;
  /** Each part of the message: why it got its reply, and the matcher's best candidates with their scores. */
  parts: { reason: string; candidates: { pairId: string; score: number }[] }[];
}

/** "Helpful" / "not helpful" on an answer: the pair and the value, never the text. */
export interface FeedbackRecord {
  kind: 'feedback';
  time: string;
  pairId: string;
  value: 'helpful' | 'not-helpful';
}

export type LearningRecord = UnansweredRecord | FeedbackRecord;

export interface RecordStore {
  /** Appends records (one JSON line each). */
  append(records: LearningRecord[]): Promise<void>;
  /** Every record kept, oldest first. */
  readAll(): Promise<LearningRecord[]>;
  /** Deletes records older than `before`; returns how many (file) or how many day blobs (Blob) went. */
  deleteBefore(before: Date): Promise<number>;
}

/** Lines that are not records (a torn last line after a crash) are skipped. */
export function parseLines(text: string): LearningRecord[] {
  const out: LearningRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const record = JSON.parse(line) as LearningRecord;
      if (
        record &&
        typeof record.time === 'string' &&
        (record.kind === 'unanswered' || record.kind === 'feedback')
      )
        out.push(record);
    } catch {
      // skipped
    }
  }
  return out;
}

const toLines = (records: LearningRecord[]): string => records.map((r) => `${JSON.stringify(r)}\n`).join('');

/**
 * A JSON-lines file. Writes go one after the other (the retention rewrite must not lose an append in
 * between); one process writes it: several instances need the Blob store.
 */
export class FileRecordStore implements RecordStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => undefined);
    return next;
  }

  append(records: LearningRecord[]): Promise<void> {
    return this.serial(async () => {
      await mkdir(path.dirname(this.file), { recursive: true });
      await appendFile(this.file, toLines(records), { encoding: 'utf8', mode: 0o600 });
    });
  }

  readAll(): Promise<LearningRecord[]> {
    return this.serial(async () =>
      existsSync(this.file) ? parseLines(await readFile(this.file, 'utf8')) : [],
    );
  }

  deleteBefore(before: Date): Promise<number> {
    return this.serial(async () => {
      if (!existsSync(this.file)) return 0;
      const all = parseLines(await readFile(this.file, 'utf8'));
      const kept = all.filter((r) => Date.parse(r.time) >= before.getTime());
      if (kept.length === all.length) return 0;
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, toLines(kept), { encoding: 'utf8', mode: 0o600 });
      await rename(tmp, this.file);
      return all.length - kept.length;
    });
  }
}

const PREFIX = 'records/';
const DAY_BLOB = /^records\/(\d{4}-\d{2}-\d{2})\.jsonl$/;

/** The append blob of a day (UTC): every instance appends to the same one. */
export function dayBlobName(time: Date): string {
  return `${PREFIX}${time.toISOString().slice(0, 10)}.jsonl`;
}

/** Azure Blob Storage: an append blob per day in its own container (not the conversation state's). */
export class BlobRecordStore implements RecordStore {
  private ready: Promise<unknown> | undefined;

  constructor(
    private readonly client: ContainerClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static fromConnectionString(connectionString: string, container: string): BlobRecordStore {
    return new BlobRecordStore(new ContainerClient(connectionString, container));
  }

  /** Created once; a failure is forgotten so that the next append tries again. */
  private container(): Promise<unknown> {
    this.ready ??= this.client.createIfNotExists().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  async append(records: LearningRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.container();
    const blob = this.client.getAppendBlobClient(dayBlobName(this.now()));
    await blob.createIfNotExists({ blobHTTPHeaders: { blobContentType: 'application/x-ndjson' } });
    const body = Buffer.from(toLines(records), 'utf8');
    await blob.appendBlock(body, body.length);
  }

  async readAll(): Promise<LearningRecord[]> {
    if (!(await this.client.exists())) return [];
    const names: string[] = [];
    for await (const blob of this.client.listBlobsFlat({ prefix: PREFIX }))
      if (DAY_BLOB.test(blob.name)) names.push(blob.name);
    names.sort();
    const out: LearningRecord[] = [];
    for (const name of names)
      out.push(...parseLines((await this.client.getBlobClient(name).downloadToBuffer()).toString('utf8')));
    return out;
  }

  /** Deletes each day's blob whose whole day lies before `before`. */
  async deleteBefore(before: Date): Promise<number> {
    if (!(await this.client.exists())) return 0;
    let deleted = 0;
    for await (const blob of this.client.listBlobsFlat({ prefix: PREFIX })) {
      const day = DAY_BLOB.exec(blob.name)?.[1];
      if (!day) continue;
      const dayEnd = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
      if (dayEnd <= before.getTime()) {
        await this.client.getBlobClient(blob.name).deleteIfExists();
        deleted += 1;
      }
    }
    return deleted;
  }
}
