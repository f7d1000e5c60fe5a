// HTML of the chat page (GET /) and the sample hospital page (GET /demo). No inline scripts:
// the page configuration travels as inert JSON that chat.js reads.
import type { WebAssets } from './assets';

export const BOT_NAME = 'Imnovid info';
/** Default accent: 6.7:1 against white, so it passes WCAG AA for text and icons. */
export const DEFAULT_ACCENT = '#0b5cad';

export interface PageConfig {
  botName: string;
  accent: string;
  emergencyNumber: string;
  directLine:
    | { mode: 'azure'; domain: string; tokenUrl: string }
    | { mode: 'local'; domain: string; conversationsUrl: string };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script type="application/json"> element. */
function inertJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function renderChatPage(assets: WebAssets, config: PageConfig): string {
  const number = escapeHtml(config.emergencyNumber);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="strict-origin-when-cross-origin">
<title>${escapeHtml(config.botName)}: questions about Imnovid (pomalidomide)</title>
<link rel="stylesheet" href="/static/chat.css?v=${assets.chatCss.version}">
<script type="application/json" id="imnovid-config">${inertJson(config)}</script>
<script src="${assets.webChat.urlPath}" defer></script>
<script src="/static/chat.js?v=${assets.chatJs.version}" defer></script>
</head>
<body>
<div class="layout">
<header class="page-header">
<h1 class="page-title">${escapeHtml(config.botName)}</h1>
<p class="page-note">Answers come from the European Medicines Agency (EMA) overview of Imnovid. They do not replace advice from your doctor, nurse or pharmacist. In an emergency call <strong>${number}</strong>.</p>
</header>
<main class="chat" id="webchat" aria-label="Chat with ${escapeHtml(config.botName)}">
<p class="chat-status" id="chat-status" role="status">Loading the chat…</p>
</main>
<noscript><p class="chat-status">The chat needs JavaScript. You can read the EMA overview of Imnovid on the EMA website.</p></noscript>
</div>
</body>
</html>
`;
}

/** A made-up hospital page showing how a webmaster embeds the widget with one script tag. */
export function renderDemoPage(assets: WebAssets, embedSrc: string): string {
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
<p>This page is a demonstration of the chat widget as a hospital would embed it. The button in the corner opens a chat that answers common questions about Imnovid (pomalidomide) using the European Medicines Agency overview.</p>
</section>
<section id="medicines">
<h2>Imnovid (pomalidomide)</h2>
<p>Ask your care team about how to take your capsules, side effects and pregnancy prevention. Bring your patient card to every appointment.</p>
<p><button type="button" class="site-button">A button of the host page</button></p>
</section>
<section id="contact">
<h2>Contact</h2>
<p>Clinic telephone: 000 000 000 (weekdays 8:00 to 16:00).</p>
</section>
<h2>Embedding code</h2>
<pre class="snippet"><code>${escapeHtml(`<script src="${embedSrc}" data-position="right" data-accent="#0b5cad" data-title="Questions about Imnovid?" data-lang="en" defer></script>`)}</code></pre>
</main>
<script src="${escapeHtml(embedSrc)}" data-position="right" data-accent="#0b5cad" data-title="Questions about Imnovid?" data-lang="en" defer></script>
</body>
</html>
`;
}
