import { expect } from 'chai';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { basicForm } from '../text/normal';
import { alternation, escapeRegExp } from '../text/regex';
import { createCorrector } from '../text/corrector';

const root = join(__dirname, '..');

describe('text toolkit', () => {
  it('basic form: case, accents, punctuation and units, as the matcher and the gate read them', () => {
    expect(basicForm('  Pomalidomidé’s SIDE-effects?! ')).to.equal('pomalidomides side effects');
    expect(basicForm('4mg capsules')).to.equal('4 mg capsules');
    expect(basicForm('?!...')).to.equal('');
  });

  it('basic form keeps letters of European languages as letters instead of dropping them', () => {
    expect(basicForm('Głowa mnie boli')).to.equal('glowa mnie boli');
    expect(basicForm('Ich weiß nicht, STRAẞE')).to.equal('ich weiss nicht strasse');
    expect(basicForm('Œdème, Æble, Søren, Þór, Đakovo')).to.equal('oedeme aeble soren thor dakovo');
    expect(basicForm('Πυρετός 39°C')).to.equal('πυρετος 39 c');
    expect(basicForm('У меня температура 40мг')).to.equal('у меня температура 40 мг');
  });

  it('escapes every character a regular expression reads specially', () => {
    const special = 'a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o';
    expect(new RegExp(`^${escapeRegExp(special)}$`).test(special)).to.equal(true);
  });

  it('builds one alternation in which no pattern swallows its neighbours', () => {
    const re = new RegExp(`^${alternation(['a|b', 'c'])}$`);
    expect(['a', 'b', 'c'].map((s) => re.test(s))).to.deep.equal([true, true, true]);
    expect(re.test('ab')).to.equal(false);
  });

  it('corrector: ties are either the first word or no correction, as asked', () => {
    const options = { vocabulary: ['tired', 'teird'], minLength: 4, maxEdits: () => 1 };
    expect(createCorrector({ ...options, ties: 'first' })('tierd')).to.equal('tired');
    expect(createCorrector({ ...options, ties: 'none' })('tierd')).to.equal('tierd');
    expect(createCorrector({ ...options, ties: 'none', neverCorrect: ['tierd'] })('tierd')).to.equal('tierd');
  });
});

describe('layers', () => {
  const files = (dir: string): string[] =>
    readdirSync(join(root, dir)).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(join(root, path)).isDirectory()) return files(path);
      return path.endsWith('.ts') ? [path] : [];
    });
  const imports = (file: string): string[] =>
    [...readFileSync(join(root, file), 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  const botFramework = /^(botbuilder|botframework-|adaptivecards)/;

  it('the text toolkit depends on none of its users and on no Bot Framework package', () => {
    for (const file of files('text')) {
      for (const spec of imports(file)) {
        expect(spec, file).not.to.match(botFramework);
        if (spec.startsWith('.'))
          expect(relative(root, join(root, file, '..', spec)), file).to.match(/^text\//);
      }
    }
  });

  it('knowledge, safety and render import no Bot Framework package', () => {
    for (const file of [...files('knowledge'), ...files('safety'), ...files('render')]) {
      for (const spec of imports(file)) expect(spec, file).not.to.match(botFramework);
    }
  });
});
