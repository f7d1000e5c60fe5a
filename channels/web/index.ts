// The web channel: chat page (GET /), embeddable widget (GET /embed.js), demo hospital page
// (GET /demo), the Web Chat bundle served from node_modules, and the Azure Direct Line token endpoint.
import type * as restify from 'restify';
import type { Config } from '../../config';
import type { Logger } from '../../shared/log';
import { leafletFor } from '../../knowledge/profile';
import type { LoadedKnowledge } from '../../knowledge/load';
import { deploymentNames, type DeploymentNames } from '../../render/deployment';
import { embedScript, gzipOf, loadAssets, type Asset } from './assets';
import {
  DEFAULT_ACCENT,
  renderChatPage,
  renderDemoPage,
  webTextsFor,
  type PageConfig,
  type WebTexts,
} from './pages';
import { azureDirectLineBase, contentSecurityPolicy, pageHeaders } from './security';
import { mountTokenEndpoint, TOKEN_PATH } from './token';
import { DIRECT_LINE_PREFIX } from '../directline/paths';

export interface WebDeps {
  config: Config;
  log: Logger;
  /** The medicines served: the page and the widget are named after them. */
  medicines: readonly LoadedKnowledge[];
}

type CachePolicy = 'immutable' | 'revalidate' | 'short';

const CACHE_CONTROL: Record<CachePolicy, string> = {
  // URL carries the version (package version or content hash), so it never changes.
  immutable: 'public, max-age=31536000, immutable',
  revalidate: 'no-cache',
  // embed.js: fixed URL pasted into hospital pages; re-checked every 5 minutes.
  short: 'public, max-age=300',
};

function acceptsGzip(req: restify.Request): boolean {
  const header = req.headers['accept-encoding'];
  return typeof header === 'string' && /\bgzip\b/.test(header);
}

function serveAsset(
  asset: Asset,
  cache: CachePolicy,
  extra: Record<string, string> = {},
): restify.RequestHandler {
  return async (req, res) => {
    const headers: Record<string, string | number> = {
      'Content-Type': asset.contentType,
      'Cache-Control': CACHE_CONTROL[cache],
      ETag: asset.etag,
      'X-Content-Type-Options': 'nosniff',
      Vary: 'Accept-Encoding',
      ...extra,
    };
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    let body = asset.body;
    if (body.length > 1024 && acceptsGzip(req)) {
      body = gzipOf(asset);
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    // HEAD: the same headers as GET, no body.
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

function pageConfig(config: Config, names: DeploymentNames, webTexts: WebTexts): PageConfig {
  const azure = config.directLine.secret.length > 0;
  return {
    botName: names.botName,
    accent: DEFAULT_ACCENT,
    avatars: webTexts.avatars,
    status: webTexts.status,
    save: webTexts.save,
    directLine: azure
      ? { mode: 'azure', domain: azureDirectLineBase(config), tokenUrl: TOKEN_PATH }
      : { mode: 'local', domain: DIRECT_LINE_PREFIX, tokenUrl: `${DIRECT_LINE_PREFIX}/tokens/generate` },
  };
}

export function mountWeb(server: restify.Server, deps: WebDeps): void {
  const { config, log, medicines } = deps;
  const assets = loadAssets();
  const azure = config.directLine.secret.length > 0;
  const names = deploymentNames(medicines, config.deployment);
  const webTexts = webTextsFor(names);
  // With several medicines the header links no leaflet: each answer links its own medicine's.
  const leafletUrl = medicines.length === 1 ? leafletFor(medicines[0]!.profile, config) : undefined;
  const chatHtml = renderChatPage(
    assets,
    pageConfig(config, names, webTexts),
    config.emergencyNumber,
    leafletUrl,
    webTexts,
  );
  const demoMedicines = medicines.map((m) => ({
    name: m.profile.displayName,
    substance: m.kb.activeSubstance,
  }));
  const demoHtml = renderDemoPage(assets, '/embed.js', DEFAULT_ACCENT, webTexts, demoMedicines);

  const sendPage = (html: string, frameableByAllowedOrigins: boolean): restify.RequestHandler => {
    const body = Buffer.from(html, 'utf8');
    return async (req, res) => {
      const csp = contentSecurityPolicy(req, config, { azure, frameableByAllowedOrigins });
      res.writeHead(200, { ...pageHeaders(csp), 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
  };

  // restify answers HEAD only on routes registered for it (else 405): monitors and caches send HEAD.
  const getAndHead = (path: string, handler: restify.RequestHandler): void => {
    server.get(path, handler);
    server.head(path, handler);
  };

  // The chat page is what the widget's iframe shows, so ALLOWED_ORIGINS may frame it.
  getAndHead('/', sendPage(chatHtml, true));
  getAndHead('/demo', sendPage(demoHtml, false));

  getAndHead(assets.webChat.urlPath, serveAsset(assets.webChat, 'immutable'));
  getAndHead('/static/chat.js', serveAsset(assets.chatJs, 'immutable'));
  getAndHead('/static/chat.css', serveAsset(assets.chatCss, 'immutable'));
  getAndHead('/static/demo.css', serveAsset(assets.demoCss, 'immutable'));
  // Loaded by <script> on other sites: say so for sites that isolate with COEP/CORP.
  getAndHead(
    '/embed.js',
    serveAsset(embedScript(assets, webTexts.widget), 'short', {
      'Cross-Origin-Resource-Policy': 'cross-origin',
    }),
  );

  mountTokenEndpoint(server, { config, log });
  if (!azure && config.auth.MicrosoftAppId) {
    // The local channel only runs without an app id: with one, the page needs Azure Direct Line.
    log.error('web.no_direct_line', { reason: 'app_id_configured_without_DIRECT_LINE_SECRET' });
  }
  log.info('web.mounted', { directLine: azure ? 'azure' : 'local', webChat: assets.webChat.packageVersion });
}
