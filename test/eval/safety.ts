// Scores the safety gate on its evaluation sets (issue 12): safety.json (tuned on) and safety-blind.json
// (written apart, never tuned on; its misses are never listed). Used by `npm run eval:safety` and by the
// floors in test/safety-eval.test.ts. The false rate of the language notice is measured on every English
// message of the other evaluation sets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SafetyGate, SafetyLevel } from '../../safety/gate';
import { EVAL_DIR } from './metrics';

export type Expected = 'emergency' | 'urgent' | 'defer' | 'info' | 'none';

export interface SafetyItem {
  text: string;
  lang: string;
  expect: Expected;
  category?: string;
}

export function loadSafetySet(file: string): SafetyItem[] {
  const raw = JSON.parse(readFileSync(join(EVAL_DIR, file), 'utf8')) as { items?: SafetyItem[] };
  const items = raw.items ?? [];
  const levels = new Set(['emergency', 'urgent', 'defer', 'info', 'none']);
  items.forEach((item, i) => {
    if (typeof item.text !== 'string' || !levels.has(item.expect) || typeof item.lang !== 'string')
      throw new Error(`${file}[${i}]: expected {text, lang, expect}`);
  });
  return items;
}

export interface SafetyReport {
  /** Emergency and urgent items. */
  flags: number;
  /** Share of them escalated at all (emergency or urgent). */
  recall: number;
  /** Share of them given exactly the expected level. */
  rightLevel: number;
  /** Emergencies given a lower level than emergency, or none (count). */
  emergencyMissed: number;
  /** Share of defer items deferred (or escalated: never answered as information). */
  deferRecall: number;
  /** Share of info and none items escalated or deferred. */
  falseEscalation: number;
  /** Share of English info items that got the information line. */
  infoLine: number;
  /** Non-English ordinary items given the language notice. */
  noticeRecall: number;
  byLanguage: Record<string, { flags: number; caught: number }>;
  failures: { text: string; expect: string; got: string }[];
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const escalated = (level: SafetyLevel | undefined): boolean => level === 'emergency' || level === 'urgent';

export function scoreSafety(items: readonly SafetyItem[], gate: SafetyGate): SafetyReport {
  let flags = 0;
  let caught = 0;
  let right = 0;
  let emergencyMissed = 0;
  let defers = 0;
  let deferred = 0;
  let ordinary = 0;
  let falseAlarms = 0;
  let infos = 0;
  let infoLines = 0;
  let foreign = 0;
  let notices = 0;
  const byLanguage: SafetyReport['byLanguage'] = {};
  const failures: SafetyReport['failures'] = [];
  for (const item of items) {
    const hit = gate.check(item.text);
    const level = hit?.level;
    let ok = true;
    if (item.expect === 'emergency' || item.expect === 'urgent') {
      flags++;
      const l = (byLanguage[item.lang] ??= { flags: 0, caught: 0 });
      l.flags++;
      if (escalated(level)) {
        caught++;
        l.caught++;
      }
      if (level === item.expect) right++;
      else ok = false;
      if (item.expect === 'emergency' && level !== 'emergency') emergencyMissed++;
    } else if (item.expect === 'defer') {
      defers++;
      // In another language the notice defers too (this service answers in English; your doctor or pharmacist).
      if (level === 'defer' || escalated(level) || (item.lang !== 'en' && level === 'notice')) deferred++;
      else ok = false;
    } else {
      ordinary++;
      if (escalated(level) || level === 'defer') {
        falseAlarms++;
        ok = false;
      }
      if (item.expect === 'info' && item.lang === 'en') {
        infos++;
        if (level === 'information') infoLines++;
      }
      if (item.lang !== 'en' && item.expect === 'none') {
        foreign++;
        if (level === 'notice') notices++;
        else ok = false;
      }
    }
    if (!ok)
      failures.push({
        text: item.text,
        expect: item.expect,
        got: hit ? `${hit.level}:${hit.category}` : 'none',
      });
  }
  return {
    flags,
    recall: ratio(caught, flags),
    rightLevel: ratio(right, flags),
    emergencyMissed,
    deferRecall: ratio(deferred, defers),
    falseEscalation: ratio(falseAlarms, ordinary),
    infoLine: ratio(infoLines, infos),
    noticeRecall: ratio(notices, foreign),
    byLanguage,
    failures,
  };
}

/** Every English message of the understanding evaluation sets (for the language notice's false rate). */
export function englishMessages(): string[] {
  const files = ['questions.json', 'dev.json', 'heldout.json', 'fresh.json', 'understanding.json'];
  const texts = files.flatMap((f) => {
    const raw = JSON.parse(readFileSync(join(EVAL_DIR, f), 'utf8')) as unknown;
    const list = (Array.isArray(raw) ? raw : (raw as { items: unknown[] }).items) as {
      q?: string;
      turns?: string[];
    }[];
    return list.flatMap((i) => i.turns ?? (i.q ? [i.q] : []));
  });
  const safetyEnglish = ['safety.json', 'safety-blind.json'].flatMap((f) =>
    loadSafetySet(f)
      .filter((i) => i.lang === 'en')
      .map((i) => i.text),
  );
  return [...texts, ...safetyEnglish];
}
