// The embeddable widget. A hospital page adds
//   <script src="https://BOT-HOST/embed.js" data-position="right|left" data-accent="#hex"
//           data-offset="20" data-title="..." data-lang="en" data-transport="polling" defer></script>
// and gets a launcher button that opens the chat page (iframe) in a non-modal dialog panel.
// Everything lives in a shadow root so the host page's CSS and ours cannot clash.
// data-offset: the launcher's distance from the bottom edge in CSS pixels (0 to 400, default 20), to keep
// it clear of the host page's own fixed elements. On a phone (480 px wide or less) the launcher is an icon
// only (its title stays its accessible name), and the widget's element at the end of the page keeps as
// much room free below the page's content, so the launcher never sits over the end of the page.
(function () {
  'use strict';

  var TEXTS = /* texts: filled in by the server */ {};
  var DEFAULT_ACCENT = '#0b5cad';
  // currentScript is unset when a tag manager runs us from a copied tag: fall back to finding the tag.
  var script = document.currentScript || document.querySelector('script[src$="/embed.js"]');
  if (!script || !script.src || document.getElementById('medicine-chat-widget')) return;

  var botOrigin = new window.URL(script.src, window.location.href).origin;
  var position = script.getAttribute('data-position') === 'left' ? 'left' : 'right';
  var title = (script.getAttribute('data-title') || '').trim() || TEXTS.launcher;
  var lang = langFrom(script.getAttribute('data-lang')) || langFrom(document.documentElement.lang) || 'en';
  var polling = script.getAttribute('data-transport') === 'polling';
  var accent = hexFrom(script.getAttribute('data-accent')) || DEFAULT_ACCENT;
  var offset = offsetFrom(script.getAttribute('data-offset'));
  // Launcher text in white or black, whichever reads better on the accent (WCAG AA either way).
  var onAccent = contrast(accent, '#ffffff') >= 4.5 ? '#ffffff' : '#000000';

  function langFrom(value) {
    return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/.test(value || '') ? value : undefined;
  }

  function offsetFrom(value) {
    var n = parseInt((value || '').trim(), 10);
    return /^\s*\d{1,3}\s*$/.test(value || '') && n >= 0 && n <= 400 ? n : 20;
  }

  function hexFrom(value) {
    var match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((value || '').trim());
    if (!match) return undefined;
    return '#' + (match[1].length === 3 ? match[1].replace(/./g, '$&$&') : match[1]).toLowerCase();
  }

  function luminance(hex) {
    var n = parseInt(hex.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
      .map(function (c) {
        var v = c / 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
      })
      .reduce(function (sum, v, i) {
        return sum + v * [0.2126, 0.7152, 0.0722][i];
      }, 0);
  }

  function contrast(a, b) {
    var la = luminance(a);
    var lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  var side = position === 'left' ? 'left' : 'right';
  var css =
    // The host element stays in the page's flow as room at its end: the launcher's height and offset.
    ':host{all:initial;display:block;height:' +
    (offset + 64) +
    'px}' +
    '*{box-sizing:border-box}' +
    '.launcher{position:fixed;bottom:' +
    offset +
    'px;' +
    side +
    ':20px;z-index:2147483000;display:inline-flex;' +
    'align-items:center;gap:8px;min-height:48px;padding:12px 20px;border:2px solid transparent;' +
    'border-radius:999px;background:' +
    accent +
    ';color:' +
    onAccent +
    ';' +
    'font:600 16px/1.2 "Segoe UI",system-ui,-apple-system,Roboto,Arial,sans-serif;cursor:pointer;' +
    'box-shadow:0 4px 14px rgba(0,0,0,.3)}' +
    '.launcher svg{width:22px;height:22px;fill:currentColor;flex:none}' +
    '.launcher:focus-visible,.close:focus-visible{outline:3px solid #000;outline-offset:2px;' +
    'box-shadow:0 0 0 6px #fff}' +
    '.panel{position:fixed;bottom:' +
    (offset + 64) +
    'px;' +
    side +
    ':20px;z-index:2147483001;display:flex;' +
    'flex-direction:column;width:380px;max-width:calc(100vw - 40px);height:600px;' +
    'max-height:calc(100vh - ' +
    (offset + 84) +
    'px);background:#fff;border:1px solid #8a8f96;border-radius:10px;' +
    'overflow:hidden;box-shadow:0 8px 30px rgba(0,0,0,.35)}' +
    '.panel[hidden]{display:none}' +
    '.bar{display:flex;align-items:center;justify-content:space-between;gap:8px;flex:none;' +
    'padding:6px 6px 6px 14px;background:' +
    accent +
    ';color:' +
    onAccent +
    '}' +
    '.heading{margin:0;font:600 16px/1.3 "Segoe UI",system-ui,-apple-system,Roboto,Arial,sans-serif}' +
    '.close{display:inline-flex;align-items:center;justify-content:center;width:40px;height:40px;' +
    'padding:0;border:2px solid currentColor;border-radius:6px;background:transparent;color:inherit;' +
    'font:700 22px/1 Arial,sans-serif;cursor:pointer}' +
    'iframe{flex:1 1 auto;width:100%;min-height:0;border:0;background:#fff}' +
    '@media (max-width:480px),(max-height:560px){.panel{top:0;bottom:0;left:0;right:0;width:auto;' +
    'max-width:none;height:auto;max-height:none;border-radius:0}}' +
    // On a phone the closed launcher is a round icon: it covers as little of the page as it can.
    '@media (max-width:480px){.launcher{width:56px;height:56px;min-height:0;padding:0;' +
    'justify-content:center;' +
    side +
    ':12px}.launcher span{position:absolute;width:1px;height:1px;overflow:hidden;' +
    'clip:rect(0 0 0 0);white-space:nowrap}.launcher svg{width:26px;height:26px}}';

  var host = document.createElement('div');
  host.id = 'medicine-chat-widget';
  var root = host.attachShadow({ mode: 'open' });

  // A constructed stylesheet works under host pages whose CSP forbids inline <style>.
  try {
    var sheet = new window.CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    var style = document.createElement('style');
    style.textContent = css;
    root.appendChild(style);
  }

  var launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'launcher';
  launcher.setAttribute('aria-haspopup', 'dialog');
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-controls', 'medicine-chat-panel');
  // Built node by node: host pages enforcing Trusted Types refuse innerHTML.
  var svgNs = 'http://www.w3.org/2000/svg';
  var icon = document.createElementNS(svgNs, 'svg');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('aria-hidden', 'true');
  icon.setAttribute('focusable', 'false');
  var path = document.createElementNS(svgNs, 'path');
  path.setAttribute('d', 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z');
  icon.appendChild(path);
  launcher.appendChild(icon);
  var label = document.createElement('span');
  label.textContent = title;
  launcher.appendChild(label);
  // The accessible name when only the icon shows (phones).
  launcher.setAttribute('aria-label', title);

  var panel = document.createElement('div');
  panel.className = 'panel';
  panel.id = 'medicine-chat-panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', title || TEXTS.dialogLabel);
  panel.hidden = true;

  var bar = document.createElement('div');
  bar.className = 'bar';
  var heading = document.createElement('p');
  heading.className = 'heading';
  heading.textContent = TEXTS.heading;
  var closeButton = document.createElement('button');
  closeButton.type = 'button';
  closeButton.className = 'close';
  closeButton.setAttribute('aria-label', TEXTS.close);
  closeButton.textContent = '\u00d7';
  bar.appendChild(heading);
  bar.appendChild(closeButton);
  panel.appendChild(bar);

  var frame;
  var frameLoaded = false;

  function chatUrl() {
    var query = new window.URLSearchParams({ embed: '1', lang: lang, accent: accent });
    if (polling) query.set('transport', 'polling');
    return botOrigin + '/?' + query.toString();
  }

  function focusChat() {
    frame.focus();
    if (frameLoaded) frame.contentWindow.postMessage({ type: 'medicine-chat:focus' }, botOrigin);
  }

  function open() {
    // The chat (and its conversation) only starts when someone opens the panel.
    if (!frame) {
      frame = document.createElement('iframe');
      frame.title = TEXTS.frameTitle;
      if (botOrigin !== window.location.origin) {
        // On another site: the chat may not navigate the hospital's page (no allow-top-navigation).
        // (Same-origin, as on /demo, a sandbox with scripts and same-origin would protect nothing.)
        frame.setAttribute(
          'sandbox',
          'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-downloads',
        );
      }
      frame.setAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
      frame.addEventListener('load', function () {
        frameLoaded = true;
        if (!panel.hidden) focusChat();
      });
      frame.src = chatUrl();
      panel.appendChild(frame);
    }
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    focusChat();
  }

  function close() {
    if (panel.hidden) return;
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.focus();
  }

  launcher.addEventListener('click', function () {
    if (panel.hidden) open();
    else close();
  });
  closeButton.addEventListener('click', close);
  // Escape on the panel's own controls; inside the iframe the chat page reports Escape by message.
  root.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && !panel.hidden) {
      event.preventDefault();
      close();
    }
  });
  window.addEventListener('message', function (event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== botOrigin) return;
    if (event.data && event.data.type === 'medicine-chat:close') close();
  });

  // The dialog follows its launcher in the reading and tab order.
  root.appendChild(launcher);
  root.appendChild(panel);
  (document.body || document.documentElement).appendChild(host);
})();
