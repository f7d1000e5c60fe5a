// What the deployment calls itself: named after the one medicine served (from its folder), exactly as
// before; with several, the configured name and launcher text, and texts that name no medicine.
import { expect } from 'chai';
import { deploymentNames, type ServedMedicine } from '../render/deployment';
import { loadMedicine } from '../knowledge/load';
import { loadAssets } from '../channels/web/assets';
import {
  renderChatPage,
  renderDemoPage,
  webTextsFor,
  type PageConfig,
  type WebTexts,
} from '../channels/web/pages';

const imnovid = loadMedicine('imnovid');
const zentravo: ServedMedicine = {
  id: 'zentravo',
  kb: { medicine: 'Zentravo', activeSubstance: 'lumivastat' },
  profile: { displayName: 'Zentravo' },
};
const unset = { name: '', launcherText: '' };
const NAMES = /imnovid|pomalidomide|zentravo|lumivastat/i;
/** A placeholder left unfilled that no later step fills ({emergency} and {date} are filled later). */
const UNFILLED = /\{(?!emergency\}|date\})\w+\}/;

function pageConfig(botName: string, texts: WebTexts): PageConfig {
  return {
    botName,
    accent: '#0b5cad',
    avatars: texts.avatars,
    status: texts.status,
    save: texts.save,
    directLine: { mode: 'local', domain: '/v3/directline', tokenUrl: '/v3/directline/tokens/generate' },
  };
}

describe('deployment names', () => {
  it('names a deployment of one medicine after it, from its folder', () => {
    expect(deploymentNames([imnovid], unset)).to.deep.equal({
      botName: 'Imnovid info',
      medicine: { id: 'imnovid', name: 'Imnovid', substance: 'pomalidomide' },
      slug: 'imnovid',
    });
    const texts = webTextsFor(deploymentNames([imnovid], unset));
    expect(texts.page.title).to.equal('Imnovid info: questions about Imnovid (pomalidomide)');
    expect(texts.widget).to.deep.equal({
      launcher: 'Questions about Imnovid?',
      dialogLabel: 'Chat about Imnovid',
      heading: 'Imnovid information',
      close: 'Close chat',
      frameTitle: 'Chat: questions about Imnovid',
    });
    expect(texts.save.fileName).to.equal('imnovid-conversation');
    expect(JSON.stringify(texts)).not.to.match(UNFILLED);
  });

  it('takes DEPLOYMENT_NAME and LAUNCHER_TEXT when set, whatever is served', () => {
    const names = deploymentNames([imnovid], { name: 'St Example Pharmacy', launcherText: 'Ask us' });
    expect(names.botName).to.equal('St Example Pharmacy');
    expect(names.slug).to.equal('st-example-pharmacy');
    expect(webTextsFor(names).widget.launcher).to.equal('Ask us');
  });

  it('names a deployment of several medicines generically, or as configured, and no medicine in its texts', () => {
    const generic = deploymentNames([imnovid, zentravo], unset);
    expect(generic).to.deep.equal({ botName: 'Medicine information', slug: 'medicine-information' });
    const named = deploymentNames([imnovid, zentravo], { name: 'St Example', launcherText: '' });
    for (const names of [generic, named]) {
      const texts = JSON.stringify(webTextsFor(names));
      expect(texts).not.to.match(NAMES);
      expect(texts).not.to.match(UNFILLED);
    }
    expect(webTextsFor(generic).widget.launcher).to.equal('Questions about your medicines?');
    expect(webTextsFor(named).widget.heading).to.equal('St Example');
    expect(() => deploymentNames([], unset)).to.throw(/at least one medicine/);
  });

  it('renders the chat page for several medicines without naming one, and without a single leaflet', () => {
    const names = deploymentNames([imnovid, zentravo], { name: 'St Example', launcherText: '' });
    const texts = webTextsFor(names);
    const html = renderChatPage(loadAssets(), pageConfig(names.botName, texts), '112', undefined, texts);
    expect(html).to.contain('<title>St Example: questions about your medicines</title>');
    expect(html).not.to.match(NAMES);
    expect(html).not.to.contain('page-leaflet');
    expect(html).not.to.match(UNFILLED);
  });

  it('lists every medicine served on the demo page', () => {
    const names = deploymentNames([imnovid, zentravo], unset);
    const html = renderDemoPage(loadAssets(), '/embed.js', '#0b5cad', webTextsFor(names), [
      { name: 'Imnovid', substance: 'pomalidomide' },
      { name: 'Zentravo', substance: 'lumivastat' },
    ]);
    expect(html).to.contain('questions about Imnovid (pomalidomide) and Zentravo (lumivastat) using');
    expect(html).to.contain('<h2>Zentravo (lumivastat)</h2>');
    expect(html).to.contain('data-title="Questions about your medicines?"');
  });
});
