// Static assets of the web channel: the Web Chat browser bundle (from node_modules) and our own
// plain-JS/CSS files in ./public. Everything is read once at start-up and served from memory.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const JS_TYPE = 'application/javascript; charset=utf-8';

export interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
  /** Short content hash, used as a cache-busting query (`?v=`) in the HTML. */
  version: string;
  gzipped?: Buffer;
}

/**
 * The browser files live next to this module in the source tree. `tsc` does not copy them to
 * dist/, so the compiled module (dist/channels/web) falls back to the source folder.
 */
function publicDir(): string {
  const candidates = [
    join(__dirname, 'public'),
    join(__dirname, '..', '..', '..', 'channels', 'web', 'public'),
  ];
  const found = candidates.find((dir) => existsSync(join(dir, 'chat.js')));
  if (!found) throw new Error(`channels/web/public not found (looked in ${candidates.join(', ')})`);
  return found;
}

function makeAsset(body: Buffer, contentType: string): Asset {
  const hash = createHash('sha256').update(body).digest('hex');
  return { body, contentType, etag: `"${hash.slice(0, 32)}"`, version: hash.slice(0, 12) };
}

/** Lazily compresses an asset (the Web Chat bundle shrinks from ~3.9 MB to ~1 MB). */
export function gzipOf(asset: Asset): Buffer {
  asset.gzipped ??= gzipSync(asset.body, { level: 6 });
  return asset.gzipped;
}

/**
 * Finds the botframework-webchat package folder. Its `exports` map hides dist/ from
 * require.resolve, so resolve the main entry and walk up to the folder holding its package.json.
 */
export function webChatPackageDir(): string {
  let dir = dirname(require.resolve('botframework-webchat'));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (pkg.name === 'botframework-webchat') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('botframework-webchat package folder not found');
    dir = parent;
  }
}

export interface WebAssets {
  webChat: Asset & { packageVersion: string; urlPath: string };
  chatJs: Asset;
  chatCss: Asset;
  /** embed.js as written, before its texts are filled in (embedScript). */
  embedSource: Buffer;
  demoCss: Asset;
}

/** Marker in public/embed.js that the server replaces with the widget's texts. */
const EMBED_TEXTS_MARKER = '/* texts: filled in by the server */ {}';

let cached: WebAssets | undefined;

/** Reads the assets once per process (several servers may run in one test process). */
export function loadAssets(): WebAssets {
  cached ??= readAssets();
  return cached;
}

/** Widget scripts by their texts: the texts depend on what a server serves, and tests run several servers. */
const embedScripts = new Map<string, Asset>();

/** embed.js with the widget's texts (launcher, headings) filled in. */
export function embedScript(assets: WebAssets, widgetTexts: Record<string, string>): Asset {
  // JSON is valid JavaScript; escaping "<" keeps a "</script>" in a text from ending an inline copy.
  const json = JSON.stringify(widgetTexts).replace(/</g, '\\u003c');
  let asset = embedScripts.get(json);
  if (!asset) {
    const text = assets.embedSource.toString('utf8');
    if (!text.includes(EMBED_TEXTS_MARKER)) throw new Error('embed.js lacks its texts marker');
    asset = makeAsset(
      Buffer.from(
        text.replace(EMBED_TEXTS_MARKER, () => json),
        'utf8',
      ),
      JS_TYPE,
    );
    embedScripts.set(json, asset);
  }
  return asset;
}

function readAssets(): WebAssets {
  const pkgDir = webChatPackageDir();
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  // The full bundle (not webchat-minimal.js): it renders Markdown and Adaptive/Hero cards.
  const bundle = makeAsset(readFileSync(join(pkgDir, 'dist', 'webchat.js')), JS_TYPE);
  const dir = publicDir();
  const js = (name: string): Asset => makeAsset(readFileSync(join(dir, name)), JS_TYPE);
  const css = (name: string): Asset => makeAsset(readFileSync(join(dir, name)), 'text/css; charset=utf-8');
  return {
    webChat: { ...bundle, packageVersion: pkg.version, urlPath: `/static/webchat-${pkg.version}.js` },
    chatJs: js('chat.js'),
    chatCss: css('chat.css'),
    embedSource: readFileSync(join(dir, 'embed.js')),
    demoCss: css('demo.css'),
  };
}
