// The chat page's script: gets a Direct Line token (from the local channel or, with Azure, from our
// token endpoint), renders Web Chat, and keeps the conversation in sessionStorage so a reload resumes it.
// Query parameters (set by embed.js): embed=1, lang, accent, transport=polling.
(function () {
  'use strict';

  // botframework-directlinejs ConnectionStatus values.
  var ONLINE = 2;
  var EXPIRED_TOKEN = 3;
  var FAILED_TO_CONNECT = 4;

  var config = JSON.parse(document.getElementById('medicine-chat-config').textContent);
  var statusElement = document.getElementById('chat-status');
  var chatElement = document.getElementById('webchat');
  var params = new window.URLSearchParams(window.location.search);
  var embedded = params.get('embed') === '1' && window.parent !== window;
  var useWebSocket = params.get('transport') !== 'polling';
  var locale = localeFrom(params.get('lang')) || document.documentElement.lang || 'en';
  var accent = accentFrom(params.get('accent')) || config.accent;
  var domain = new window.URL(config.directLine.domain, window.location.href).href.replace(/\/+$/, '');
  var storageKey = 'medicine-chat:' + config.directLine.mode;

  function localeFrom(value) {
    return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/.test(value || '') ? value : undefined;
  }

  function channelLuminance(value) {
    var v = value / 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  }

  /** A #rgb/#rrggbb colour readable on white (WCAG AA, 4.5:1), else undefined. */
  function accentFrom(value) {
    var match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value || '');
    if (!match) return undefined;
    var hex = match[1].length === 3 ? match[1].replace(/./g, '$&$&') : match[1];
    var n = parseInt(hex, 16);
    var luminance =
      0.2126 * channelLuminance((n >> 16) & 255) +
      0.7152 * channelLuminance((n >> 8) & 255) +
      0.0722 * channelLuminance(n & 255);
    return 1.05 / (luminance + 0.05) >= 4.5 ? '#' + hex.toLowerCase() : undefined;
  }

  function randomId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return (b + 256).toString(16).slice(1);
      })
      .join('');
  }

  /** Shows a status line; `retry`, when given, runs from a "Try again" button. */
  function setStatus(text, isError, retry) {
    statusElement.textContent = text;
    statusElement.classList.toggle('is-error', !!isError);
    if (retry) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'chat-retry';
      button.textContent = config.status.retry;
      button.addEventListener('click', retry);
      statusElement.appendChild(document.createTextNode(' '));
      statusElement.appendChild(button);
    }
  }

  function readSaved() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(storageKey) || 'null');
      if (
        saved &&
        typeof saved.conversationId === 'string' &&
        typeof saved.token === 'string' &&
        typeof saved.userId === 'string'
      ) {
        return saved;
      }
    } catch {
      // Storage may be disabled (private mode, blocked third-party storage): start afresh.
    }
    return undefined;
  }

  function save(session) {
    try {
      window.sessionStorage.setItem(
        storageKey,
        JSON.stringify({
          conversationId: session.conversationId,
          token: session.token,
          userId: session.userId,
        }),
      );
    } catch {
      // Without storage a reload starts a new conversation, which is acceptable.
    }
  }

  function forget() {
    try {
      window.sessionStorage.removeItem(storageKey);
    } catch {
      // Nothing saved then.
    }
  }

  /** A token for a new conversation: from the local channel directly, or from our Azure token endpoint. */
  function newSession() {
    var userId = 'web_' + randomId();
    var body = config.directLine.mode === 'local' ? { user: { id: userId }, locale: locale } : {};
    return window
      .fetch(config.directLine.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'same-origin',
      })
      .then(function (response) {
        if (!response.ok) throw new Error('token request failed with HTTP ' + response.status);
        return response.json();
      })
      .then(function (reply) {
        return {
          conversationId: reply.conversationId,
          token: reply.token,
          // Azure binds the token to the user id our endpoint chose.
          userId: typeof reply.userId === 'string' ? reply.userId : userId,
          resume: false,
        };
      });
  }

  /** Whether a saved conversation still exists and its token still works (server restarts forget them). */
  function stillOpen(saved) {
    var url = domain + '/conversations/' + encodeURIComponent(saved.conversationId) + '?watermark=';
    return window
      .fetch(url, { headers: { Authorization: 'Bearer ' + saved.token } })
      .then(function (response) {
        return response.ok;
      })
      .catch(function () {
        return false;
      });
  }

  function session() {
    var saved = readSaved();
    if (!saved) return newSession();
    return stillOpen(saved).then(function (open) {
      if (open)
        return {
          conversationId: saved.conversationId,
          token: saved.token,
          userId: saved.userId,
          resume: true,
        };
      forget();
      return newSession();
    });
  }

  /**
   * Card buttons are Action.Submit whose data carries Teams' `msteams` instruction (imBack or
   * messageBack). Web Chat ignores it and would post the data as a silent postBack; do what Teams does,
   * so the chosen button also shows in the transcript as the user's message.
   */
  function teamsCardAction(action) {
    var data = action && action.type === 'postBack' ? action.value : undefined;
    var teams = data && typeof data === 'object' ? data.msteams : undefined;
    if (!teams || typeof teams !== 'object') return undefined;
    if (teams.type === 'imBack' && typeof (teams.value || data.text) === 'string') {
      return { type: 'imBack', title: action.title, value: teams.value || data.text };
    }
    if (teams.type === 'messageBack' && typeof teams.text === 'string') {
      return {
        type: 'messageBack',
        title: action.title,
        text: teams.text,
        displayText: typeof teams.displayText === 'string' ? teams.displayText : teams.text,
        value: teams.value,
      };
    }
    return undefined;
  }

  function cardActionMiddleware() {
    return function (next) {
      return function (args) {
        var translated = teamsCardAction(args.cardAction);
        return next(translated ? Object.assign({}, args, { cardAction: translated }) : args);
      };
    };
  }

  /**
   * "Save this conversation": the transcript's lines as a text file, made here from memory (a blob: URL);
   * nothing is sent to or kept on the server.
   */
  function download(lines) {
    var now = new Date();
    var heading = config.save.heading
      .replace('{botName}', config.botName)
      .replace('{date}', now.toLocaleString(locale));
    var body = [heading, config.save.note].concat(lines).join('\n\n') + '\n';
    var url = window.URL.createObjectURL(new window.Blob([body], { type: 'text/plain;charset=utf-8' }));
    var link = document.createElement('a');
    link.href = url;
    link.download = config.save.fileName + '-' + now.toISOString().slice(0, 10) + '.txt';
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () {
      window.URL.revokeObjectURL(url);
    }, 1000);
  }

  /**
   * Keeps the messages Web Chat shows, both ways, for "Save this conversation" (cards as their plain-text
   * fallback, which the bot writes with the same content), and shows the button. Returns Web Chat's store.
   */
  function transcriptKeeper() {
    var seen = {};
    var lines = [];
    var record = function (activity) {
      if (!activity || activity.type !== 'message' || (activity.id && seen[activity.id])) return;
      if (activity.id) seen[activity.id] = true;
      var card = (activity.attachments || []).filter(function (a) {
        return a && a.contentType === 'application/vnd.microsoft.card.adaptive' && a.content;
      })[0];
      var text =
        activity.text ||
        (card && typeof card.content.fallbackText === 'string' ? card.content.fallbackText : '');
      if (!text) return;
      var fromBot = activity.from && activity.from.role === 'bot';
      var time = activity.timestamp ? new Date(activity.timestamp) : new Date();
      lines.push(
        '[' +
          time.toLocaleString(locale) +
          '] ' +
          (fromBot ? config.botName : config.save.you) +
          ':\n' +
          text,
      );
    };
    var button = document.getElementById('chat-save');
    if (button) {
      button.hidden = false;
      button.addEventListener('click', function () {
        download(lines);
      });
    }
    // Web Chat's store sees every activity it shows, replayed ones included, in order.
    return window.WebChat.createStore({}, collapseAboutAfterFirstAnswer(), function () {
      return function (next) {
        return function (action) {
          if (action && action.type === 'DIRECT_LINE/INCOMING_ACTIVITY' && action.payload) {
            record(action.payload.activity);
          }
          return next(action);
        };
      };
    });
  }

  /**
   * The page header's disclaimer is said once: it folds away when the bot answers the patient's first
   * message (a patient can open it again), so the chat keeps the height on a phone.
   */
  function collapseAboutAfterFirstAnswer() {
    var asked = false;
    var done = false;
    return function () {
      return function (next) {
        return function (action) {
          if (!done && action.type === 'DIRECT_LINE/INCOMING_ACTIVITY') {
            var activity = action.payload && action.payload.activity;
            var role = activity && activity.from && activity.from.role;
            if (role === 'user') asked = true;
            else if (asked && activity.type === 'message') {
              done = true;
              var about = document.getElementById('page-about');
              if (about) about.open = false;
            }
          }
          return next(action);
        };
      };
    };
  }

  /**
   * Adaptive Cards as Web Chat styles them, with body text at 16 px (small text, the source line, at 14 px)
   * and the subtle colour at 7.5:1 on white (#555), so the source line reads on a phone.
   */
  function hostConfig() {
    var text = { default: '#1b1b1b', subtle: '#555555' };
    var sizes = { small: 14, default: 16, medium: 18, large: 21, extraLarge: 26 };
    var weights = { lighter: 200, default: 400, bolder: 600 };
    var font = "'Segoe UI', system-ui, -apple-system, Roboto, 'Helvetica Neue', Arial, sans-serif";
    var onColour = function (background) {
      return {
        backgroundColor: background,
        foregroundColors: { default: { default: '#1b1b1b', subtle: '#484644' } },
      };
    };
    return {
      supportsInteractivity: true,
      fontFamily: font,
      fontSizes: sizes,
      fontWeights: weights,
      containerStyles: {
        default: {
          backgroundColor: '#ffffff',
          foregroundColors: {
            default: text,
            accent: { default: accent, subtle: accent },
            attention: { default: '#a4262c', subtle: '#a4262c' },
            dark: { default: '#000000', subtle: '#555555' },
            good: { default: '#0b6a0b', subtle: '#0b6a0b' },
            light: { default: '#ffffff', subtle: '#ffffff' },
            warning: { default: '#8a4b00', subtle: '#8a4b00' },
          },
        },
        emphasis: onColour('#f3f5f8'),
        accent: onColour('#c7def9'),
        good: onColour('#ccffcc'),
        attention: onColour('#ffc5b2'),
        warning: onColour('#ffe2b2'),
      },
      imageSizes: { small: 40, medium: 80, large: 160 },
      actions: {
        actionAlignment: 'stretch',
        actionsOrientation: 'vertical',
        buttonSpacing: 8,
        maxActions: 100,
        showCard: { actionMode: 'inline', inlineTopMargin: 8 },
        spacing: 'default',
      },
      adaptiveCard: { allowCustomStyle: false },
      imageSet: { imageSize: 'medium', maxImageHeight: 100 },
      factSet: {
        title: {
          color: 'default',
          size: 'default',
          isSubtle: false,
          weight: 'bolder',
          wrap: true,
          maxWidth: 150,
        },
        value: { color: 'default', size: 'default', isSubtle: false, weight: 'default', wrap: true },
        spacing: 8,
      },
      textBlock: { headingLevel: 2 },
    };
  }

  function render(directLine, current, store) {
    var root = document.createElement('div');
    root.className = 'chat-root';
    chatElement.appendChild(root);
    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        store: store,
        userID: current.userId,
        locale: locale,
        cardActionMiddleware: cardActionMiddleware,
        adaptiveCardsHostConfig: hostConfig(),
        styleOptions: {
          primaryFont: "'Segoe UI', system-ui, -apple-system, Roboto, 'Helvetica Neue', Arial, sans-serif",
          subtle: '#555555',
          accent: accent,
          botAvatarInitials: config.avatars.bot,
          userAvatarInitials: config.avatars.user,
          botAvatarBackgroundColor: accent,
          userAvatarBackgroundColor: '#4a4a4a',
          bubbleFromUserBackground: '#e8f0fa',
          hideUploadButton: true,
          suggestedActionLayout: 'flow',
        },
      },
      root,
    );
  }

  function connect(current) {
    var options = { domain: domain, token: current.token, webSocket: useWebSocket };
    // With a conversation id DirectLineJS reconnects and replays from the start; without, it starts it.
    if (current.resume) options.conversationId = current.conversationId;
    var directLine = window.WebChat.createDirectLine(options);
    var wasOnline = false;
    var token = directLine.token;
    var persist = function () {
      save({
        conversationId: directLine.conversationId || current.conversationId,
        token: token || current.token,
        userId: current.userId,
      });
    };
    // DirectLineJS replaces its token every 15 minutes, and the server soon refuses the old one: save
    // each new token as DirectLineJS sets it, so a reload or a restored tab resumes with one that works.
    Object.defineProperty(directLine, 'token', {
      configurable: true,
      enumerable: true,
      get: function () {
        return token;
      },
      set: function (value) {
        var changed = value !== token;
        token = value;
        if (changed && typeof value === 'string' && directLine.conversationId) persist();
      },
    });
    directLine.connectionStatus$.subscribe(function (status) {
      if (status === ONLINE) {
        wasOnline = true;
        persist();
        setStatus('');
      } else if (status === FAILED_TO_CONNECT || status === EXPIRED_TOKEN) {
        forget();
        if (wasOnline) setStatus(config.status.lost, true, reload);
        else setStatus(config.status.failed, true, reload);
      }
    });
    window.addEventListener('pagehide', function () {
      if (wasOnline) persist();
    });
    render(directLine, current, transcriptKeeper());
  }

  function reload() {
    window.location.reload();
  }

  function start() {
    if (!window.WebChat) {
      setStatus(config.status.failed, true, reload);
      return;
    }
    setStatus(config.status.connecting);
    session().then(connect, function () {
      setStatus(config.status.failed, true, start);
    });
  }

  function focusSendBox(attempts) {
    var input = document.querySelector('[data-id="webchat-sendbox-input"]');
    if (input) {
      input.focus();
    } else if (attempts > 0) {
      window.setTimeout(function () {
        focusSendBox(attempts - 1);
      }, 100);
    }
  }

  if (embedded) {
    document.documentElement.classList.add('embedded');
    // The widget (embed.js) asks for focus when its panel opens; Escape here closes the panel there.
    window.addEventListener('message', function (event) {
      if (event.source !== window.parent || !event.data || event.data.type !== 'medicine-chat:focus') return;
      focusSendBox(50);
    });
    document.addEventListener('keydown', function (event) {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      window.parent.postMessage({ type: 'medicine-chat:close' }, '*');
    });
  }

  start();
})();
