// npm run report — prints what the recorded unanswered questions and answer feedback suggest (issue 13):
// the most frequent unanswered questions grouped, the pairs with the worst helpful ratio, and alternate
// phrasings for existing pairs. Reads the Blob container when AZURE_STORAGE_CONNECTION_STRING is set,
// else UNANSWERED_FILE; `--file PATH` reads that file instead, `--top N` limits each list (default 20).
// It only prints: a person decides and edits the medicine's knowledge/medicines/<id>/curation.json.
import { loadConfig } from '../../config';
import { loadMedicines } from '../../knowledge/load';
import { recordStoreFor } from '../recorder';
import { FileRecordStore, type RecordStore } from '../records';
import { analyse, formatReport, groupingTokens } from './analyse';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const config = loadConfig();
  const file = option(args, '--file');
  const top = Number(option(args, '--top') ?? 20);
  if (!Number.isInteger(top) || top < 1) throw new Error('--top must be a positive whole number');
  const store: RecordStore = file ? new FileRecordStore(file) : recordStoreFor(config);
  const source =
    store instanceof FileRecordStore ? `file ${store.file}` : `Blob container ${config.recording.container}`;
  const records = await store.readAll();
  // Records carry no medicine: they are grouped with the first medicine served's vocabulary.
  const knowledge = loadMedicines(config.medicines.ids, config.medicines.dir)[0]!;
  const questions = new Map(knowledge.kb.pairs.map((p) => [p.id, p.question]));
  const report = analyse(records, { tokens: groupingTokens((text) => knowledge.matcher.analyse(text)) });
  console.log(`Unanswered-questions report from ${source}`);
  console.log(
    formatReport(report, (id) => questions.get(id), top, `knowledge/medicines/${knowledge.id}/curation.json`),
  );
}

main().catch((err: Error) => {
  console.error(`report failed: ${err.message}`);
  process.exitCode = 1;
});
