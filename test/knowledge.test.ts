// The chunker: furniture removed, answers verbatim, provenance kept, output reproducible, and generic
// enough to read a second overview (a made-up medicine written to the same EMA template).
import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cleanOverview, cleanText, sentenceUnits, splitSentences } from '../knowledge/build/clean';
import { buildFromFiles, buildMedicine, readJson, serialise, templatePath } from '../knowledge/build/sources';
import { chunkDocument, emptyCuration, type Curation } from '../knowledge/build/chunk';
import { medicineIds, medicinePaths } from '../knowledge/medicines';

const paths = medicinePaths('imnovid');
import type { OverviewTemplate } from '../knowledge/build/chunk';
import type { KnowledgeBase } from '../knowledge/types';

const template = readJson<OverviewTemplate>(templatePath);
const rawSource = readFileSync(paths.source, 'utf8');
const cleaned = cleanOverview(rawSource, template.sections);
const sourceText = cleanText(cleaned);
const committed = readJson<KnowledgeBase>(paths.kb);

/** An answer line is a whole source sentence, or a verbatim span with "…" where text is left out. */
function spansOf(line: string): string[] {
  return line
    .split('…')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

describe('knowledge base', () => {
  describe('cleaning the PDF extraction', () => {
    it('reads the document id, product number, names, date and attribution', () => {
      expect(cleaned.documentId).to.equal('EMA/240195/2019');
      expect(cleaned.productNumber).to.equal('EMEA/H/C/002682');
      expect(cleaned.medicine).to.equal('Imnovid');
      expect(cleaned.activeSubstance).to.equal('pomalidomide');
      expect(cleaned.lastUpdated).to.equal('04-2019');
      expect(cleaned.attribution).to.match(/^© European Medicines Agency, 2019\. Reproduction is authorised/);
    });

    it('removes page furniture: headers, footers, page numbers, the address block, footnote markers', () => {
      for (const furniture of [
        'Page 2/3',
        'Page 3/3',
        'Official address',
        'Scarlattilaan',
        'Send us a question',
        'An agency of the European',
        'Imnovid0F',
        'Imnovid1',
        'EMEA/H/C',
        '+31',
      ]) {
        expect(sourceText, furniture).not.to.include(furniture);
      }
      expect(sourceText).not.to.match(/ {2,}/);
    });

    it('keeps the footnote content with the name it annotates', () => {
      expect(cleaned.footnotes).to.deep.equal(['Previously known as Pomalidomide Celgene.']);
      const pair = committed.pairs.find((p) => p.id === 'title.former-name');
      expect(pair?.answer).to.deep.equal(['Previously known as Pomalidomide Celgene.']);
    });

    it('finds the eight question sections of the overview, including a heading wrapped over two lines', () => {
      expect(cleaned.sections.map((s) => s.heading)).to.deep.equal([
        'What is Imnovid and what is it used for?',
        'How is Imnovid used?',
        'How does Imnovid work?',
        'What benefits of Imnovid have been shown in studies?',
        'What are the risks associated with Imnovid?',
        'Why is Imnovid authorised in the EU?',
        'What measures are being taken to ensure the safe and effective use of Imnovid?',
        'Other information about Imnovid',
      ]);
    });

    it('joins sentences broken across lines and pages', () => {
      expect(sourceText).to.include(
        'Imnovid is a cancer medicine used to treat multiple myeloma (a cancer of the bone marrow).',
      );
      expect(sourceText).to.include(
        'The company that makes Imnovid will set up a pregnancy-prevention programme in each Member State.',
      );
    });

    it('splits sentences without breaking decimals or web addresses', () => {
      expect(splitSentences('They lived 11.2 months. See ema.europa.eu/x Next one.')).to.deep.equal([
        'They lived 11.2 months.',
        'See ema.europa.eu/x',
        'Next one.',
      ]);
    });
  });

  describe('Q&A pairs', () => {
    it('quotes the source: every sentence of every answer occurs in the cleaned source text', () => {
      const sentences = new Set(sourceText.split('\n'));
      for (const pair of committed.pairs) {
        expect(pair.answer, pair.id).not.to.be.empty;
        for (const line of pair.answer) {
          if (line.includes('…')) {
            // Quoted parts of one source sentence, in its order: a clause or more in all, no lone words.
            const parts = spansOf(line);
            expect(parts.join(' ').split(' ').length, `${pair.id}: "${line}" is too short`).to.be.at.least(8);
            for (const part of parts)
              expect(part.split(' ').length, `${pair.id}: "${part}"`).to.be.at.least(3);
            const inOrder = (sentence: string): boolean => {
              let from = 0;
              for (const part of parts) {
                const at = sentence.indexOf(part.replace(/\.$/, ''), from);
                if (at < 0) return false;
                from = at + part.length;
              }
              return true;
            };
            expect(
              [...sentences].some(inOrder),
              `${pair.id}: "${line}" is not from one source sentence`,
            ).to.equal(true);
          } else {
            expect(sentences.has(line), `${pair.id}: "${line}" is not a source sentence`).to.equal(true);
          }
        }
      }
    });

    it('regenerating from the source reproduces the committed kb.json byte for byte', () => {
      expect(serialise(buildMedicine('imnovid'))).to.equal(readFileSync(paths.kb, 'utf8'));
    });

    it('gives every pair an id, a question, alternates and provenance', () => {
      const ids = new Set<string>();
      for (const pair of committed.pairs) {
        expect(ids.has(pair.id), `duplicate ${pair.id}`).to.equal(false);
        ids.add(pair.id);
        expect(pair.question, pair.id).to.match(/\?$/);
        expect(pair.alternates.length, `${pair.id} alternates`).to.be.at.least(2);
        expect(pair.provenance.documentId).to.equal('EMA/240195/2019');
        expect(pair.provenance.lastUpdated).to.equal('04-2019');
        expect(pair.provenance.section).to.be.a('string').and.not.equal('');
      }
    });

    it('splits sections into one-topic pairs', () => {
      const byId = new Map(committed.pairs.map((p) => [p.id, p]));
      const expectations: Record<string, RegExp> = {
        'use.forms': /capsules \(1, 2, 3 and 4 mg\)/,
        'use.schedule-bortezomib': /first 2 weeks of 3-week treatment cycles/,
        'use.schedule-dexamethasone':
          /first 3 weeks of 4-week treatment cycles when given in combination with dexamethasone only/,
        'use.dose': /starting dose is 4 mg once a day, taken at the same time each day/,
        'use.changes': /interrupted or stopped, or the dose reduced/,
        'use.prescription': /only be obtained with a prescription/,
        'risks.common-side-effects': /most common side effects/,
        'risks.serious-side-effects': /^Serious side effects/,
        'risks.pregnancy': /must not be used in women who are pregnant/,
        'risks.men': /pass into semen/,
        'measures.pregnancy-programme': /pregnancy-prevention programme/,
        'measures.registry': /registry of patients/,
        'other.authorisation-date': /5 August 2013/,
      };
      for (const [id, re] of Object.entries(expectations)) {
        expect(byId.get(id)?.answer.join(' '), id).to.match(re);
      }
      // Topics do not leak into each other.
      expect(byId.get('risks.common-side-effects')?.answer.join(' ')).not.to.include('Serious side effects,');
      expect(byId.get('use.schedule-dexamethasone')?.answer.join(' ')).not.to.include('bortezomib');
    });

    it('carries the lay vocabulary the matcher needs', () => {
      const synonyms = committed.vocabulary.synonyms;
      const lay = Object.values(synonyms).flat().join(' | ');
      for (const phrase of ['low red blood cells', 'swollen ankles', 'tingling', 'blood clot in the lungs']) {
        expect(lay, phrase).to.include(phrase);
      }
      expect(committed.vocabulary.names).to.include.members(['imnovid', 'pomalidomide', 'pomalidomid']);
    });
  });

  describe('a second overview in the same template (made-up medicine)', () => {
    const data = join(__dirname, 'data');
    const other = buildFromFiles(join(data, 'zentravo-overview.txt'), join(data, 'zentravo-curation.json'));

    it('is chunked by the same code with its own name, document and date', () => {
      expect(other.medicine).to.equal('Zentravo');
      expect(other.activeSubstance).to.equal('lumivastat');
      expect(other.documentId).to.equal('EMA/999001/2024');
      expect(other.lastUpdated).to.equal('06-2024');
      expect(other.lastUpdatedText).to.equal('June 2024');
      expect(JSON.stringify(other)).not.to.match(/imnovid|pomalidomide/i);
    });

    it('finds its sections, topics and footnote, and quotes it verbatim', () => {
      const ids = other.pairs.map((p) => p.id);
      expect(ids).to.include.members([
        'what.overview',
        'what.active-substance',
        'use.forms',
        'use.dose',
        'risks.common-side-effects',
        'risks.serious-side-effects',
        'other.authorisation-date',
        'title.former-name',
      ]);
      const raw = readFileSync(join(data, 'zentravo-overview.txt'), 'utf8').replace(/\s+/g, ' ');
      for (const pair of other.pairs) {
        for (const line of pair.answer) expect(raw, pair.id).to.include(line);
      }
      expect(other.pairs.find((p) => p.id === 'use.forms')?.question).to.equal(
        'What strengths and forms does Zentravo come in?',
      );
      expect(other.pairs.find((p) => p.id === 'title.former-name')?.answer).to.deep.equal([
        'Previously known as Lumivastat Example.',
      ]);
    });

    it('the chunker code and template name no medicine', () => {
      const buildDir = join(__dirname, '..', 'knowledge', 'build');
      // sources.ts only says where this project's medicine files are; the reading and chunking code is generic.
      for (const file of readdirSync(buildDir).filter((f) => f !== 'sources.ts' && f !== 'cli.ts')) {
        const text = readFileSync(join(buildDir, file), 'utf8');
        expect(text, file).not.to.match(/imnovid|pomalidomide|myeloma|bortezomib/i);
      }
    });
  });

  describe('overview variants: lists, conditional and exceptional authorisation, awaited information', () => {
    const dir = join(__dirname, 'data', 'overviews');
    const chunk = (name: string) => {
      const doc = cleanOverview(readFileSync(join(dir, `${name}-overview.txt`), 'utf8'), template.sections);
      return { doc, ...chunkDocument(doc, template, emptyCuration()) };
    };
    const answer = (kb: KnowledgeBase, id: string): string[] | undefined =>
      kb.pairs.find((p) => p.id === id)?.answer;

    it('keeps a bullet list of indications as one answer, each item a verbatim unit of its own', () => {
      const { kb, problems } = chunk('corvalin');
      expect(problems).to.deep.equal([]);
      const what = answer(kb, 'what.overview')!;
      expect(what).to.have.length(4);
      expect(what[0]).to.equal('Corvalin is a medicine used to treat the following conditions:');
      for (const item of what.slice(1)) expect(item).to.match(/^• [a-z]/);
      expect(what[1]).to.match(/block the tiniest blood vessels .* from 2 years of age;$/);
      expect(what[3]).to.match(/in adults who cannot have surgery\.$/);
      // The list ends where running text starts again.
      expect(answer(kb, 'what.active-substance')).to.deep.equal([
        'Corvalin contains the active substance tessoparin.',
      ]);
    });

    it('puts an orphan designation that has ended with the orphan pair, and makes no pair for absent topics', () => {
      const { kb } = chunk('corvalin');
      const orphan = answer(kb, 'what.orphan')!;
      expect(orphan).to.have.length(2);
      expect(orphan[1]).to.match(/orphan status ended in September 2021/);
      const ids = kb.pairs.map((p) => p.id);
      for (const absent of ['risks.pregnancy', 'risks.men', 'authorised.conditional', 'awaited.overview'])
        expect(ids).not.to.include(absent);
    });

    it('gives a conditional authorisation its own pair, with the sentence that explains it', () => {
      const { kb, doc } = chunk('velostra');
      const conditional = answer(kb, 'authorised.conditional')!;
      expect(conditional).to.have.length(2);
      expect(conditional[0]).to.match(/^Velostra has been given ‘conditional authorisation’/);
      expect(conditional[1]).to.match(/^Every year, the Agency will review/);
      expect(answer(kb, 'authorised.overview')!.join(' ')).not.to.match(/conditional|Every year/);
      // "conditional marketing authorisation" in the last section is still the authorisation date.
      expect(answer(kb, 'other.authorisation-date')![0]).to.match(/conditional marketing authorisation/);
      expect(doc.sections.map((s) => s.key)).to.include('awaited');
    });

    it('reads the section on what is still awaited as the awaited.overview pair', () => {
      for (const name of ['velostra', 'nuvexa']) {
        const { kb } = chunk(name);
        const pair = kb.pairs.find((p) => p.id === 'awaited.overview');
        expect(pair?.question, name).to.match(/^What information is still awaited for (Velostra|Nuvexa)\?$/);
        expect(pair?.answer[0], name).to.match(/^Since \w+ has been (given conditional|authorised under)/);
      }
      // An optional section: an overview without it still has all it needs.
      expect(chunk('corvalin').doc.sections.map((s) => s.key)).not.to.include('awaited');
    });

    it('gives authorisation under exceptional circumstances its own pair', () => {
      const { kb } = chunk('nuvexa');
      const exceptional = answer(kb, 'authorised.exceptional')!;
      expect(exceptional).to.have.length(2);
      expect(exceptional[0]).to.match(/authorised under ‘exceptional circumstances’/);
      expect(exceptional[1]).to.match(/^Every year/);
    });

    it('quotes every variant verbatim, and places all of its text', () => {
      for (const name of ['corvalin', 'velostra', 'nuvexa']) {
        const { kb, doc } = chunk(name);
        expect(doc.unplaced, name).to.deep.equal([]);
        const raw = readFileSync(join(dir, `${name}-overview.txt`), 'utf8').replace(/\s+/g, ' ');
        for (const pair of kb.pairs) for (const line of pair.answer) expect(raw, pair.id).to.include(line);
      }
    });

    it('splits a section into sentences and list items, a wrapped item being one unit', () => {
      expect(
        sentenceUnits([
          'It treats the following:',
          '• first thing (which wraps',
          'onto a second line);',
          '\uF0B7 second thing.',
          'Then the text goes on. And on.',
        ]),
      ).to.deep.equal([
        'It treats the following:',
        '• first thing (which wraps onto a second line);',
        '• second thing.',
        'Then the text goes on.',
        'And on.',
      ]);
    });

    it('sets apart text under a heading the template does not know', () => {
      const text = readFileSync(join(__dirname, 'data', 'zentravo-overview.txt'), 'utf8').replace(
        'How does Zentravo work?',
        'What is special about\nZentravo?\nIt is made up. Really.\nHow does Zentravo work?',
      );
      const doc = cleanOverview(text, template.sections);
      expect(doc.unplaced).to.deep.equal([
        { heading: 'What is special about Zentravo?', sentences: ['It is made up.', 'Really.'] },
      ]);
      expect(cleanText(doc)).not.to.include('made up');
      // Text before the first heading has no place either.
      const early = cleanOverview(
        text.replace(
          'What is Zentravo and what is it used for?',
          'A stray line.\nWhat is Zentravo and what is it used for?',
        ),
        template.sections,
      );
      expect(early.unplaced[0]).to.deep.equal({ heading: undefined, sentences: ['A stray line.'] });
    });
  });

  describe('names and curation', () => {
    it('always names the medicine by its brand and active substance, after the curated names', () => {
      const doc = cleanOverview(
        readFileSync(join(__dirname, 'data', 'zentravo-overview.txt'), 'utf8'),
        template.sections,
      );
      expect(chunkDocument(doc, template, emptyCuration()).kb.vocabulary.names).to.deep.equal([
        'zentravo',
        'lumivastat',
      ]);
      const curation = emptyCuration();
      curation.vocabulary.names = ['zentrav', 'lumivastat', 'the tablets'];
      expect(chunkDocument(doc, template, curation).kb.vocabulary.names).to.deep.equal([
        'zentrav',
        'lumivastat',
        'the tablets',
        'zentravo',
      ]);
      // A combination is also named by each of its substances.
      const combination = cleanOverview(
        readFileSync(join(__dirname, 'data', 'zentravo-overview.txt'), 'utf8').replace(
          /\(lumivastat\)/g,
          '(lumivastat / ostavir)',
        ),
        template.sections,
      );
      expect(chunkDocument(combination, template, emptyCuration()).kb.vocabulary.names).to.deep.equal([
        'zentravo',
        'lumivastat / ostavir',
        'lumivastat',
        'ostavir',
      ]);
      // Imnovid's curated names already hold both, in their own order: its kb.json does not change.
      const names = readJson<Curation>(paths.curation).vocabulary.names;
      expect(committed.vocabulary.names).to.deep.equal(names);
    });

    it('every committed medicine: every curated span occurs in its source, every curated phrasing names a pair', () => {
      const ids = medicineIds();
      expect(ids).to.include('imnovid');
      for (const id of ids) {
        const files = medicinePaths(id);
        const doc = cleanOverview(readFileSync(files.source, 'utf8'), template.sections);
        const { problems } = chunkDocument(doc, template, readJson<Curation>(files.curation));
        expect(
          problems.map((p) => p.message),
          `${id}: curation.json refers to text its overview.txt does not have`,
        ).to.deep.equal([]);
      }
    });

    it('names each curation problem clearly, and leaves out only what it concerns', () => {
      const curation = readJson<Curation>(paths.curation);
      const changed = rawSource
        .replace('It is taken in the first 2 weeks of 3-week', 'It is taken in the first 3 weeks of 4-week')
        .replace(
          'As the medicine can pass into semen, the medicine must also not be used in men who are unable to',
          '',
        )
        .replace('comply with the required contraceptive measures.', '');
      const doc = cleanOverview(changed, template.sections);
      const { kb, problems } = chunkDocument(doc, template, curation);
      expect(problems.map((p) => [p.kind, p.pairId])).to.deep.equal([
        ['span', 'use.schedule-bortezomib'],
        ['unknown-pair', 'risks.men'],
      ]);
      expect(problems[0].message).to.match(
        /^Curated pair use\.schedule-bortezomib: not found verbatim in one sentence: "/,
      );
      expect(problems[1].message).to.equal(
        'Curation alternates names a pair the source does not give: risks.men',
      );
      const ids = kb.pairs.map((p) => p.id);
      expect(ids).not.to.include('use.schedule-bortezomib');
      expect(ids).not.to.include('risks.men');
      expect(ids).to.include('use.schedule-dexamethasone');
      expect(() => buildFromFiles(paths.source, paths.curation)).not.to.throw();
    });
  });
});
