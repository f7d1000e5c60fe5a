// Issue 14, checked by looking: the chat page and the widget demo on a desktop (1280×800) and a phone
// (390×844), saved as PNGs in a folder under the OS temp dir (its path is printed), with what can be
// measured measured: axe at 0 violations in every state, the source line's contrast (≥ 7:1), 16 px body
// text in the widget on a phone, button labels that fit, tap-to-call links, the disclaimer folding away
// after the first answer, and a closed launcher that covers none of the host page's content.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import botTexts from '../../render/texts.json';
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

describe('browser: what a patient sees on a desktop and a phone (screenshots)', function () {
  this.timeout(120_000);

  let page: Page;
  let shoot: (name: string) => Promise<void>;
  const opened = screensOfApp();

  async function open(device: Device, path: string): Promise<void> {
    ({ page, shoot } = await opened.open(device, path));
  }

  for (const device of ['desktop', 'phone'] as Device[]) {
    it(`${device}: the chat page, from the welcome to a list, a flow's answer and an urgent reply`, async () => {
      await open(device, '/');
      const welcome = await waitForCards(page, 1);
      await settle();
      // The disclaimer and the emergency number in the header; tap-to-call.
      const about = page.locator('#page-about');
      expect(await about.evaluate((d) => (d as HTMLDetailsElement).open)).to.equal(true);
      expect(await page.locator('header a[href="tel:112"]').count()).to.equal(1);
      expect(await page.locator('header a.page-leaflet').getAttribute('href')).to.match(/\.pdf$/);
      expect(await welcome.innerText()).to.contain('current text and may be newer');
      await shoot(`${device}-1-welcome`);

      const list = await ask(page, 'What are the most common side effects?');
      // The disclaimer folds away after the first answer.
      expect(await about.evaluate((d) => (d as HTMLDetailsElement).open)).to.equal(false);
      expect(await list.locator('ul li').count()).to.equal(4);
      const source = list.locator('.ac-textBlock', { hasText: 'Source: EMA overview' });
      expect(await contrastOf(source)).to.be.at.least(7);
      await list.locator('.ac-pushButton', { hasText: botTexts.showMore }).click();
      expect(await list.locator('ul li').count()).to.equal(8);
      await expectLabelsFit(page);
      await shoot(`${device}-2-list-answer`);

      const prompt = await ask(page, 'How do I take it?');
      const flowAnswer = await clickCard(page, prompt.locator('.ac-pushButton', { hasText: 'Not sure' }));
      expect(await flowAnswer.innerText()).to.contain(botTexts.deferral.slice(0, 40));
      // The quoted spans inside their whole sentence: the left-out words are there, in italics.
      expect(
        await flowAnswer
          .locator('.ac-richTextBlock em, .ac-richTextBlock i, .ac-richTextBlock span[style*="italic"]')
          .count(),
      ).to.be.above(0);
      await flowAnswer.scrollIntoViewIfNeeded();
      await expectLabelsFit(page);
      await shoot(`${device}-3-flow-answer`);
      // And its top: the quoted spans inside their whole sentences, the left-out words greyed.
      await flowAnswer.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await settle(200);
      await shoot(`${device}-3b-flow-answer-top`);

      const urgent = await ask(page, 'I have chest pain and it is getting worse');
      expect(await urgent.locator('.ac-pushButton', { hasText: 'Call 112' }).count()).to.equal(1);
      await shoot(`${device}-4-urgent`);
    });

    it(`${device}: the widget on the demo page, closed and open`, async () => {
      await open(device, '/demo');
      const launcher = page.locator('.launcher');
      await launcher.waitFor();
      const box = (await launcher.boundingBox())!;
      if (device === 'phone') {
        // An icon on a phone, named by its title.
        expect(box.width).to.be.at.most(56);
        expect(await launcher.getAttribute('aria-label')).to.equal('Questions about Imnovid?');
      }
      // The closed launcher covers none of the host page's text or controls, at the top and at the end
      // (on the phone; on a wide screen the pill with its title sits beside the demo's text column).
      for (const where of ['top', 'end'] as const) {
        if (where === 'end') await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
        await settle(100);
        // (No named functions inside: tsx would wrap them in a helper the page does not have.)
        const covered = await page.evaluate(
          ({ x, y, width, height }) => {
            const boxes: [DOMRect, string][] = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              if (!node.textContent?.trim() || node.parentElement?.closest('script')) continue;
              const range = document.createRange();
              range.selectNodeContents(node);
              for (const rect of Array.from(range.getClientRects()))
                boxes.push([rect, node.textContent.trim().slice(0, 40)]);
            }
            for (const control of Array.from(document.querySelectorAll('a, button, input')))
              boxes.push([control.getBoundingClientRect(), control.outerHTML.slice(0, 40)]);
            return boxes
              .filter(
                ([r]) =>
                  r.width > 0 && r.right > x && r.left < x + width && r.bottom > y && r.top < y + height,
              )
              .map(([, what]) => what);
          },
          (await launcher.boundingBox())!,
        );
        if (device === 'phone') expect(covered, `${device}, ${where}`).to.deep.equal([]);
        await shoot(`${device}-5-widget-closed-${where}`);
      }
      await page.evaluate(() => window.scrollTo(0, 0));

      await launcher.click();
      const frame = await (await page.locator('iframe').elementHandle())!.contentFrame();
      await waitForCards(frame!, 1);
      await ask(frame!, 'What is Imnovid used for?');
      if (device === 'phone') {
        // Body text at 16 px at least on a phone: the cards' text and Web Chat's own bubbles.
        const sizes = await frame!
          .locator('.ac-textBlock:not([style*="color: rgb(85, 85, 85)"]), .webchat__bubble__content')
          .evaluateAll((els) => els.map((el) => parseFloat(getComputedStyle(el).fontSize)));
        expect(sizes.length).to.be.above(0);
        expect(Math.min(...sizes)).to.be.at.least(16);
      }
      const source = frame!.locator('.ac-textBlock', { hasText: 'Source: EMA overview' }).last();
      expect(await contrastOf(source)).to.be.at.least(7);
      await expectLabelsFit(frame!);
      await shoot(`${device}-6-widget-open`);
    });
  }
});
