// Where the bot may send its replies in anonymous mode. Without an app id nothing authenticates the
// caller of /api/messages, and the bot POSTs its replies to the activity's serviceUrl: left open, anyone
// could make this server send requests to hosts on its internal network.
import type { Config } from '../config';
import { isLoopbackHostname, normaliseOrigin } from '../shared/origin';

export type ServiceUrlVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Decides whether an activity's serviceUrl may be called back. With an app id the SDK validates the
 * caller's token, so every serviceUrl passes here. In anonymous mode: loopback (the Emulator, our own
 * local Direct Line), the origins listed in ANONYMOUS_SERVICE_URLS, and anything for expectReplies
 * requests, whose replies travel back in the response instead.
 */
export function checkServiceUrl(activity: unknown, config: Config): ServiceUrlVerdict {
  if (config.auth.MicrosoftAppId) return { ok: true };
  const a = (activity ?? {}) as { serviceUrl?: unknown; deliveryMode?: unknown };
  // The SDK compares deliveryMode exactly like this before buffering the replies.
  if (a.deliveryMode === 'expectReplies') return { ok: true };
  const origin = typeof a.serviceUrl === 'string' ? normaliseOrigin(a.serviceUrl) : undefined;
  if (!origin) return { ok: false, reason: 'The activity\'s "serviceUrl" is not an http(s) URL.' };
  if (isLoopbackHostname(new URL(origin).hostname)) return { ok: true };
  const listed = config.anonymousServiceUrls.map((u) => normaliseOrigin(u));
  if (listed.includes(origin)) return { ok: true };
  return {
    ok: false,
    reason:
      'Without MicrosoftAppId this bot only replies to a serviceUrl on this machine (localhost), ' +
      'or to one listed in ANONYMOUS_SERVICE_URLS; use deliveryMode "expectReplies" to get the ' +
      'replies in the response instead.',
  };
}
