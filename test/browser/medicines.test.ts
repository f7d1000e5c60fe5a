// Several medicines in Web Chat, in headless Chromium on a desktop and a phone: the question "which
// medicine?" with a button per medicine, the answer from the one clicked with its source line, and a
// question about two medicines answered side by side, each under its name with its own source line.
// Screenshots go to the folder screens.test.ts uses (its path printed), each checked by axe.
import { expect } from 'chai';
import type { Locator } from 'playwright-core';
import botTexts from '../../render/texts.json';
import safetyPatterns from '../../safety/patterns.json';
import { testMedicinesDir } from '../fixtures/medicines';
import {
  ask,
  clickCard,
  contrastOf,
  expectLabelsFit,
  screensOfApp,
  settle,
  waitForCards,
  type Device,
} from './screens';

const CHOICES = ['Imnovid (pomalidomide)', 'Zentravo (lumivastat)', 'Corvalin (tessoparin)'];

/** The text of each bold line of a card (the medicines' labels in an answer side by side). */
function boldLines(card: Locator): Promise<string[]> {
  return card
    .locator('.ac-textBlock')
    .evaluateAll((blocks) =>
      blocks
        .filter((b) => Number(getComputedStyle(b).fontWeight) >= 600)
        .map((b) => (b as HTMLElement).innerText.trim()),
    );
}

/** The innermost container of a card holding this label: one medicine's part of a side-by-side answer. */
function partOf(card: Locator, label: string): Locator {
  return card
    .locator('.ac-container')
    .filter({ has: card.page().locator('.ac-textBlock', { hasText: label }) })
    .last();
}

describe('browser: several medicines in Web Chat (screenshots)', function () {
  this.timeout(120_000);

  const opened = screensOfApp(async () => ({
    MEDICINES_DIR: await testMedicinesDir(),
    MEDICINES: 'imnovid,zentravo,corvalin',
  }));

  for (const device of ['desktop', 'phone'] as Device[]) {
    it(`${device}: asks which medicine, answers from the one clicked, then two medicines side by side`, async () => {
      const { page, shoot } = await opened.open(device, '/');
      const welcome = await waitForCards(page, 1);
      expect(await page.title()).to.equal('Medicine information: questions about your medicines');
      expect(await welcome.innerText()).to.contain(
        'Imnovid (pomalidomide), Zentravo (lumivastat), and Corvalin (tessoparin)',
      );

      const which = await ask(page, 'What are the most common side effects?');
      expect(await which.innerText()).to.contain(botTexts.medicines.ask);
      expect(await which.locator('.ac-pushButton').allInnerTexts()).to.deep.equal(CHOICES);
      await expectLabelsFit(page);
      await shoot(`${device}-medicines-1-which`);

      const chosen = await clickCard(
        page,
        which.locator('.ac-pushButton', { hasText: 'Zentravo (lumivastat)' }),
      );
      const answer = await chosen.innerText();
      expect(answer).to.contain('headache and nausea');
      expect(answer).to.contain('Source: EMA overview of Zentravo, June 2024.');
      expect(answer).not.to.match(/Imnovid|Corvalin/);
      expect(answer).to.contain(safetyPatterns.information.message.text.split('{')[0]);
      const source = chosen.locator('.ac-textBlock', { hasText: 'Source: EMA overview of Zentravo' });
      expect(await contrastOf(source)).to.be.at.least(7);
      await shoot(`${device}-medicines-2-chosen`);

      const both = await ask(page, 'What are the common side effects of Imnovid and Zentravo?');
      expect(await both.innerText()).to.contain(botTexts.medicines.sideBySide);
      expect(await boldLines(both)).to.deep.equal(['Imnovid (pomalidomide)', 'Zentravo (lumivastat)']);
      const imnovid = (await partOf(both, 'Imnovid (pomalidomide)').innerText()).trim();
      const zentravo = (await partOf(both, 'Zentravo (lumivastat)').innerText()).trim();
      // Each part: its label, its answer, and last its own source line.
      expect(imnovid).to.match(
        /^Imnovid \(pomalidomide\)\n[^]*neutropenia[^]*\nSource: EMA overview of Imnovid, April 2019\.$/,
      );
      expect(zentravo).to.match(
        /^Zentravo \(lumivastat\)\n[^]*headache and nausea[^]*\nSource: EMA overview of Zentravo, June 2024\.$/,
      );
      expect(imnovid).not.to.contain('Zentravo');
      expect(zentravo).not.to.contain('Imnovid');
      await expectLabelsFit(page);
      // The question typed and the top of its answer (the intro, the first medicine), then the answer's end.
      await page
        .locator('.webchat__bubble--from-user')
        .last()
        .evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await settle(200);
      await shoot(`${device}-medicines-3-side-by-side-top`);
      await both.evaluate((el) => el.scrollIntoView({ block: 'end' }));
      await settle(200);
      await shoot(`${device}-medicines-4-side-by-side-end`);
    });
  }
});
