// What `npm run report` prints, computed from the records (issue 13, learn from unanswered questions):
// the unanswered questions grouped when they are near-duplicates (Jaccard similarity of the matcher's
// normalised tokens), the pairs with the worst helpful ratio, and phrasings that could become alternates
// of existing pairs. It only suggests: a person edits the medicine's knowledge/medicines/<id>/curation.json.
import type { FeedbackRecord, LearningRecord, UnansweredRecord } from '../records';
import { MEDICINE_TOKEN, OFF_TOPIC_TOKEN } from '../../knowledge/match/normalise';
import { basicForm } from '../../text/normal';

export interface QuestionGroup {
  count: number;
  /** The most frequent phrasing first, then the others, each once. */
  phrasings: string[];
  routes: Record<string, number>;
  /** The candidate pair seen most often at the top, if any. */
  topCandidate?: string;
}

export interface PairFeedback {
  pairId: string;
  helpful: number;
  notHelpful: number;
  /** helpful / (helpful + notHelpful). */
  ratio: number;
}

export interface AlternateSuggestion {
  pairId: string;
  phrasings: { text: string; count: number }[];
}

export interface Report {
  records: number;
  unanswered: number;
  feedback: number;
  groups: QuestionGroup[];
  worstPairs: PairFeedback[];
  alternates: AlternateSuggestion[];
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared += 1;
  return shared / (a.size + b.size - shared);
}

export interface AnalyseOptions {
  /** The matcher's content tokens of a text (normalised, lemmatised, typos corrected). */
  tokens: (text: string) => string[];
  /** Near-duplicates: at least this Jaccard similarity with a group's first message. */
  similarity?: number;
  /** A "Did you mean" with a clear top candidate: it leads the runner-up by this factor. */
  clearLead?: number;
}

/**
 * The words that tell questions apart, word by word through the matcher's normalisation: stopwords and
 * the medicine's names go, known words become their tokens (typos corrected, lemmas), and a word the
 * matcher only knows as a topic the overview does not cover ("alcohol", "grapefruit") stays as written,
 * since those are exactly the questions to tell apart.
 */
export function groupingTokens(analyseText: (text: string) => string[]): (text: string) => string[] {
  return (text) =>
    basicForm(text)
      .split(' ')
      .filter(Boolean)
      .flatMap((word) => {
        const tokens = analyseText(word).filter((t) => t !== MEDICINE_TOKEN);
        return tokens.includes(OFF_TOPIC_TOKEN) ? [word] : tokens;
      });
}

/** Placeholders left by redaction ("[number]") say nothing about the question. */
const withoutPlaceholders = (text: string): string => text.replace(/\[[a-z]+\]/g, ' ');

export function analyse(records: LearningRecord[], options: AnalyseOptions): Report {
  const similarity = options.similarity ?? 0.5;
  const clearLead = options.clearLead ?? 1.25;
  const unanswered = records.filter((r): r is UnansweredRecord => r.kind === 'unanswered');
  const feedback = records.filter((r): r is FeedbackRecord => r.kind === 'feedback');

  // Greedy grouping, most frequent exact phrasings first, so each group is led by its commonest wording.
  const byText = new Map<string, UnansweredRecord[]>();
  for (const r of unanswered) {
    const key = r.text.toLowerCase().replace(/\s+/g, ' ').trim();
    byText.set(key, [...(byText.get(key) ?? []), r]);
  }
  const texts = [...byText.values()].sort((a, b) => b.length - a.length);
  const groups: { tokens: Set<string>; records: UnansweredRecord[]; phrasings: string[] }[] = [];
  for (const same of texts) {
    const tokens = new Set(options.tokens(withoutPlaceholders(same[0]!.text)));
    const group = groups.find((g) => tokens.size > 0 && jaccard(g.tokens, tokens) >= similarity);
    if (group) {
      group.records.push(...same);
      group.phrasings.push(same[0]!.text);
    } else groups.push({ tokens, records: [...same], phrasings: [same[0]!.text] });
  }
  const questionGroups: QuestionGroup[] = groups
    .map((g) => {
      const routes: Record<string, number> = {};
      const tops = new Map<string, number>();
      for (const r of g.records) {
        routes[r.route] = (routes[r.route] ?? 0) + 1;
        const top = r.parts.find((p) => p.reason !== 'covered')?.candidates[0]?.pairId;
        if (top) tops.set(top, (tops.get(top) ?? 0) + 1);
      }
      const topCandidate = [...tops].sort((a, b) => b[1] - a[1])[0]?.[0];
      return {
        count: g.records.length,
        phrasings: g.phrasings,
        routes,
        ...(topCandidate ? { topCandidate } : {}),
      };
    })
    .sort((a, b) => b.count - a.count);

  const votes = new Map<string, PairFeedback>();
  for (const f of feedback) {
    const v = votes.get(f.pairId) ?? { pairId: f.pairId, helpful: 0, notHelpful: 0, ratio: 0 };
    if (f.value === 'helpful') v.helpful += 1;
    else v.notHelpful += 1;
    votes.set(f.pairId, v);
  }
  const worstPairs = [...votes.values()]
    .map((v) => ({ ...v, ratio: v.helpful / (v.helpful + v.notHelpful) }))
    .filter((v) => v.notHelpful > 0)
    .sort((a, b) => a.ratio - b.ratio || b.notHelpful - a.notHelpful || a.pairId.localeCompare(b.pairId));

  // "Did you mean" messages of one part with a clear top candidate: phrasings that pair's alternates lack.
  const alternates = new Map<string, Map<string, number>>();
  for (const r of unanswered) {
    if (r.route !== 'suggested' || r.parts.length !== 1) continue;
    const [first, second] = r.parts[0]!.candidates;
    if (!first || (second && first.score < second.score * clearLead)) continue;
    const phrasings = alternates.get(first.pairId) ?? new Map<string, number>();
    phrasings.set(r.text, (phrasings.get(r.text) ?? 0) + 1);
    alternates.set(first.pairId, phrasings);
  }
  const suggestions: AlternateSuggestion[] = [...alternates]
    .map(([pairId, phrasings]) => ({
      pairId,
      phrasings: [...phrasings].map(([text, count]) => ({ text, count })).sort((a, b) => b.count - a.count),
    }))
    .sort((a, b) => b.phrasings.length - a.phrasings.length || a.pairId.localeCompare(b.pairId));

  return {
    records: records.length,
    unanswered: unanswered.length,
    feedback: feedback.length,
    groups: questionGroups,
    worstPairs,
    alternates: suggestions,
  };
}

/** The report as text: three sections, each with a line when it is empty. */
export function formatReport(
  report: Report,
  questionOf: (pairId: string) => string | undefined,
  top = 20,
  /** Where a person adds the alternates: the medicine's curation file. */
  curationFile = 'knowledge/medicines/<id>/curation.json',
): string {
  const lines: string[] = [];
  const pair = (id: string): string => {
    const q = questionOf(id);
    return q ? `${id} (“${q}”)` : id;
  };
  lines.push(
    `Records: ${report.records} (${report.unanswered} unanswered or "Did you mean", ${report.feedback} feedback)`,
    '',
    'Most frequent unanswered questions (near-duplicates grouped):',
  );
  if (report.groups.length === 0) lines.push('  none');
  report.groups.slice(0, top).forEach((g, i) => {
    const routes = Object.entries(g.routes)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ');
    lines.push(`  ${i + 1}. ${g.count} × “${g.phrasings[0]}” [${routes}]`);
    for (const other of g.phrasings.slice(1, 4)) lines.push(`       also: “${other}”`);
    if (g.phrasings.length > 4) lines.push(`       and ${g.phrasings.length - 4} more phrasings`);
    if (g.topCandidate) lines.push(`       closest pair: ${pair(g.topCandidate)}`);
  });
  lines.push('', 'Pairs with the worst helpful ratio:');
  if (report.worstPairs.length === 0) lines.push('  none');
  for (const p of report.worstPairs.slice(0, top))
    lines.push(
      `  ${pair(p.pairId)}: ${p.helpful} helpful, ${p.notHelpful} not helpful (${Math.round(p.ratio * 100)} % helpful)`,
    );
  lines.push('', `Suggested alternate phrasings (add to the pair in ${curationFile} if right):`);
  if (report.alternates.length === 0) lines.push('  none');
  for (const s of report.alternates.slice(0, top)) {
    lines.push(`  ${pair(s.pairId)}:`);
    for (const p of s.phrasings.slice(0, 5)) lines.push(`    ${p.count} × “${p.text}”`);
  }
  return lines.join('\n');
}
