// HTML of the chat page (GET /) and the sample hospital page (GET /demo). No inline scripts:
// the page configuration travels as inert JSON that chat.js reads.
import { fillPlaceholders } from '../../render/placeholders';
import { listOfNames, medicineLabel, textsFor, type DeploymentNames } from '../../render/deployment';
import type { WebAssets } from './assets';
import allWebTexts from './texts.json';
/**
 * The one accent colour (issue 14): the page, the widget's default, the Teams manifest and icon, the README's
 * embed example. 6.7:1 against white, so it passes WCAG AA for text and icons.
 */
export const DEFAULT_ACCENT = '#0b5cad';

const { several, ...oneMedicine } = allWebTexts;
export type WebTexts = typeof oneMedicine;

/** The page's and widget's wording for what is served: named after the one medicine, or for several. */
export function webTextsFor(names: DeploymentNames): WebTexts {
  const texts = textsFor(oneMedicine, several, names);
  return names.launcherText ? { ...texts, widget: { ...texts.widget, launcher: names.launcherText } } : texts;
}

/** The id of the page's configuration element, which chat.js reads. */
export const PAGE_CONFIG_ID = 'medicine-chat-config';

/** A medicine on the demo page. */
export interface DemoMedicine {
  name: string;
  substance: string;
}

export interface PageConfig {
  botName: string;
  accent: string;
  avatars: WebTexts['avatars'];
  status: WebTexts['status'];
  save: WebTexts['save'];
  directLine: {
    /** azure: token from our /api/directline/token; local: token from the built-in channel. */
    mode: 'azure' | 'local';
    /** Direct Line base URL handed to Web Chat's createDirectLine. */
    domain: string;
    /** Where the page gets a conversation token (POST). */
    tokenUrl: string;
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script type="application/json"> element. */
function inertJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** A phone number as a tap-to-call URL (tel: and the number without spaces). */
function telHref(phone: string): string {
  return `tel:${phone.replace(/\s+/g, '')}`;
}

/**
 * @param leafletUrl the package leaflet of the one medicine served; undefined with several, where each
 *   answer carries its own medicine's leaflet instead.
 */
export function renderChatPage(
  assets: WebAssets,
  config: PageConfig,
  emergencyNumber: string,
  leafletUrl: string | undefined,
  webTexts: WebTexts,
): string {
  const values = { botName: config.botName, emergency: emergencyNumber };
  const text = (template: string): string => escapeHtml(fillPlaceholders(template, values));
  // The emergency number, always in view and tap-to-call; the disclaimer, said once here, folds away
  // after the first answer (chat.js) so that the chat keeps the height on a phone.
  const emergency = text(webTexts.page.emergency).replace(
    escapeHtml(emergencyNumber),
    `<a class="page-tel" href="${escapeHtml(telHref(emergencyNumber))}"><strong>${escapeHtml(emergencyNumber)}</strong></a>`,
  );
  const leaflet =
    leafletUrl === undefined
      ? ''
      : ` <a class="page-leaflet" href="${escapeHtml(leafletUrl)}" target="_blank" rel="noopener">${text(webTexts.page.leaflet)}</a>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text(webTexts.page.title)}</title>
<link rel="stylesheet" href="/static/chat.css?v=${assets.chatCss.version}">
<script type="application/json" id="${PAGE_CONFIG_ID}">${inertJson(config)}</script>
<script src="${assets.webChat.urlPath}" defer></script>
<script src="/static/chat.js?v=${assets.chatJs.version}" defer></script>
</head>
<body>
<div class="layout">
<header class="page-header" aria-label="About this chat">
<div class="page-top">
<h1 class="page-title">${escapeHtml(config.botName)}</h1>
<p class="page-emergency">${emergency}</p>
</div>
<details class="page-about" id="page-about" open>
<summary>${text(webTexts.page.about)}</summary>
<p class="page-note">${text(webTexts.page.note)}${leaflet}</p>
</details>
<button type="button" class="chat-save" id="chat-save" hidden>${text(webTexts.save.button)}</button>
</header>
<main class="chat" id="webchat" aria-label="${text(webTexts.page.chatLabel)}">
<p class="chat-status" id="chat-status" role="status">${text(config.status.loading)}</p>
</main>
<noscript><p class="chat-status">${text(webTexts.page.noscript)}</p></noscript>
</div>
</body>
</html>
`;
}

/** A made-up hospital page showing how a webmaster embeds the widget with one script tag. */
export function renderDemoPage(
  assets: WebAssets,
  embedSrc: string,
  accent: string,
  webTexts: WebTexts,
  medicines: readonly DemoMedicine[],
): string {
  const tag = (src: string): string =>
    `<script src="${src}" data-position="right" data-accent="${accent}" data-offset="20" data-title="${escapeHtml(webTexts.widget.launcher)}" data-lang="en" defer></script>`;
  const named = medicines.map((m) => escapeHtml(medicineLabel(m.name, m.substance)));
  const list = listOfNames(named);
  const sections = named.map(
    (name) => `<h2>${name}</h2>
<p>Ask your care team about how to take your medicine and about its side effects. Bring your patient card to every appointment.</p>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Haematology clinic: medicines (widget demo)</title>
<link rel="stylesheet" href="/static/demo.css?v=${assets.demoCss.version}">
</head>
<body>
<header class="site-header">
<p class="site-name">St Example University Hospital</p>
<nav aria-label="Main"><ul><li><a href="#clinic">Clinic</a></li><li><a href="#medicines">Medicines</a></li><li><a href="#contact">Contact</a></li></ul></nav>
</header>
<main>
<h1>Haematology clinic: your medicines</h1>
<section id="clinic">
<h2>Living with multiple myeloma</h2>
<p>This page is a demonstration of the chat widget as a hospital would embed it. The button in the corner opens a chat that answers common questions about ${list} using the European Medicines Agency overview.</p>
</section>
<section id="medicines">
${sections.join('\n')}
<p><button type="button" class="site-button">A button of the host page</button></p>
</section>
<section id="contact">
<h2>Contact</h2>
<p>Clinic telephone: 000 000 000 (weekdays 8:00 to 16:00).</p>
</section>
<section id="embedding">
<h2>Embedding code</h2>
<p>Paste this tag before the closing body tag of any page (replace the address with your bot's public address):</p>
<pre class="snippet"><code>${escapeHtml(tag('https://BOT-HOST/embed.js'))}</code></pre>
</section>
</main>
${tag(escapeHtml(embedSrc))}
</body>
</html>
`;
}
