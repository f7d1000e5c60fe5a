// The helpdesk's staff view: with each FAQ reply, why the bot answered as it did (the pair, its score and
// section, the runners-up), for the pharmacy staff using the console with --staff or the Teams users named
// in the configuration. Patients never see it. Built from the turn's recognition: pair ids, scores and
// section names only, never the message.
import type { MatchResult } from '../knowledge/match/matcher';
import type { PartResult } from './recogniser';
import { texts } from '../render/renderer';

const score = (n: number): string => n.toFixed(2);

function candidates(match: MatchResult | undefined): string {
  if (!match) return '';
  const list = match.kind === 'suggest' ? match.suggestions : match.alternatives;
  return list.map((c) => `${c.pair.id} ${score(c.score)}`).join(', ');
}

/** What a part was answered with: its pairs, score (or source sentence) and section, or its flow. */
function chosen(part: PartResult): string {
  const match = part.match;
  const pair = part.pairs[0];
  if (!pair) return part.flow ? ` → flow ${part.flow.id}` : '';
  let line = ` → ${part.pairs.map((p) => p.id).join(' + ')}`;
  if (match?.kind === 'answer') line += ` (score ${score(match.best.score)})`;
  if (part.sentence !== undefined) {
    const bm25 =
      match && match.kind !== 'answer' && match.sentence ? `, BM25 ${score(match.sentence.score)}` : '';
    line += ` (sentence ${part.sentence + 1}${bm25})`;
  }
  return `${line}, section “${pair.provenance.section}”`;
}

/** One line per part of the message, prefixed so a reader can tell it from the answer. */
export function staffLines(parts: PartResult[]): string[] {
  return parts.map((part, i) => {
    const head = `${texts.staff.prefix} ${parts.length > 1 ? `part ${i + 1}: ` : ''}${part.reason}`;
    const others = candidates(part.match);
    return `${head}${chosen(part)}${others ? `; runners-up: ${others}` : ''}`;
  });
}
