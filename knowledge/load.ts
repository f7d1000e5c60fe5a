// Loads the medicines' committed knowledge bases and builds each one's matcher once per process.
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { CuratedFlow, KnowledgeBase, MedicineProfile, ResolvedProfile } from './types';
import { createMatcher, type Matcher } from './match/matcher';
import { medicineIds, medicinePaths, medicinesDir } from './medicines';
import { checkProfile, resolveProfile } from './profile';

export interface LoadedKnowledge {
  /** The medicine's folder name under knowledge/medicines/. */
  id: string;
  kb: KnowledgeBase;
  matcher: Matcher;
  /** Its medicine.json with the defaults filled in: display name, leaflets, its own safety wording. */
  profile: ResolvedProfile;
  /** `version`: a digest of the pairs, so a hospital can tell which answers a patient saw. */
  info: { documentId: string; lastUpdated: string; medicine: string; pairs: number; version: string };
  /** The treatment schedules its curation lists for the "how do I take it" flow (none: answered directly). */
  howToTake?: CuratedFlow;
}

/** Wraps a knowledge base (a committed one, or one built in a test) with its matcher and profile. */
export function loadKnowledge(
  kb: KnowledgeBase,
  id: string = kb.medicine.toLowerCase(),
  profile: MedicineProfile = {},
  howToTake?: CuratedFlow,
): LoadedKnowledge {
  return {
    id,
    howToTake,
    kb,
    matcher: createMatcher(kb),
    profile: resolveProfile(kb, profile),
    info: {
      documentId: kb.documentId,
      lastUpdated: kb.lastUpdated,
      medicine: kb.medicine,
      pairs: kb.pairs.length,
      version: createHash('sha256').update(JSON.stringify(kb.pairs)).digest('hex').slice(0, 12),
    },
  };
}

/** One medicine from its folder. */
export function loadMedicine(id: string, root: string = medicinesDir): LoadedKnowledge {
  const paths = medicinePaths(id, root);
  if (!existsSync(paths.kb)) throw new Error(`no medicine "${id}" under ${root}`);
  const kb = JSON.parse(readFileSync(paths.kb, 'utf8')) as KnowledgeBase;
  const curation = existsSync(paths.curation)
    ? (JSON.parse(readFileSync(paths.curation, 'utf8')) as { howToTake?: CuratedFlow })
    : {};
  return loadKnowledge(kb, id, readProfile(paths.profile), curation.howToTake);
}

/** medicine.json, checked; a medicine without one gets the defaults. */
export function readProfile(file: string): MedicineProfile {
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return checkProfile(parsed, file);
}

/** The medicines named (in that order), or every medicine under the folder. */
export function loadMedicines(ids?: readonly string[], root: string = medicinesDir): LoadedKnowledge[] {
  const chosen = ids && ids.length > 0 ? ids : medicineIds(root);
  if (chosen.length === 0) throw new Error(`no medicines under ${root}: add one with npm run kb:add`);
  return chosen.map((id) => loadMedicine(id, root));
}
