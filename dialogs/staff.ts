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

/** One line per part of the message, prefixed so a reader can tell it from the answer. */
export function staffLines(parts: PartResult[]): string[] {
  return parts.map((part, i) => {
    const head = `${texts.staff.prefix} ${parts.length > 1 ? `part ${i + 1}: ` : ''}${part.reason}`;
    const match = part.match;
    const pair = part.pairs[0];
    const chosen = pair
      ? ` → ${part.pairs.map((p) => p.id).join(' + ')}` +
        (match?.kind === 'answer' ? ` (score ${score(match.best.score)})` : '') +
        (part.sentence !== undefined
          ? ` (sentence ${part.sentence + 1}` +
            (match && 'sentence' in match && match.sentence ? `, BM25 ${score(match.sentence.score)})` : ')')
          : '') +
        `, section “${pair.provenance.section}”`
      : part.flow
        ? ` → flow ${part.flow.id}`
        : '';
    const others = candidates(match);
    return `${head}${chosen}${others ? `; runners-up: ${others}` : ''}`;
  });
}
