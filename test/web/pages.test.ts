// The web channel's pages and assets: the chat page and its headers, the Web Chat bundle, embed.js, the demo.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { gunzipSync } from 'node:zlib';
import { webChatPackageDir } from '../../channels/web/assets';
import { HOSPITAL, closeStarted, cspOf, get, pageConfigOf, rawRequest, start, type Running } from './helpers';

after(closeStarted);

/** Raw GET without fetch's automatic decompression. */
function rawGet(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

function scriptTags(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[0]);
}

const bundlePath = join(webChatPackageDir(), 'dist', 'webchat.js');
const bundleVersion = (
  JSON.parse(readFileSync(join(webChatPackageDir(), 'package.json'), 'utf8')) as { version: string }
).version;

describe('web channel: pages and assets', () => {
  let local: Running;

  before(async () => {
    local = await start({ EMERGENCY_NUMBER: '999' });
  });

  it('serves the chat page with a strict CSP and no inline script', async () => {
    const res = await get(local.base, '/');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    const csp = cspOf(res.headers);
    expect(csp.get('default-src')).to.deep.equal(["'self'"]);
    expect(csp.get('script-src')).to.deep.equal(["'self'"]);
    expect(csp.get('object-src')).to.deep.equal(["'none'"]);
    expect(csp.get('base-uri')).to.deep.equal(["'none'"]);
    expect(csp.get('frame-ancestors')).to.deep.equal(["'self'"]);
    // The local channel's WebSocket stream is on this same host.
    expect(csp.get('connect-src')).to.include(`ws://${new URL(local.base).host}`);
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('referrer-policy')).to.equal('strict-origin-when-cross-origin');
    expect(res.headers.get('permissions-policy')).to.contain('microphone=()');

    const html = res.body.toString('utf8');
    for (const tag of scriptTags(html)) {
      // Either an external script of ours or inert JSON: nothing the CSP would have to allow inline.
      expect(tag).to.match(/^<script (src="\/[^"]+"|type="application\/json")/);
    }
    expect(html).to.contain(`<script src="/static/webchat-${bundleVersion}.js" defer></script>`);
    expect(html).to.not.match(/https?:\/\/(?!www\.w3\.org)[^"' ]*\.(js|css)\b/);
    // Issue 14: the emergency number as a tap-to-call link, the disclaimer said once (folding away after the
    // first answer), and the leaflet as a link to the product-information PDF.
    expect(html).to.contain('<a class="page-tel" href="tel:999"><strong>999</strong></a>');
    expect(html).to.match(/<details class="page-about" id="page-about" open>/);
    expect(html).to.contain(
      'href="https://www.ema.europa.eu/en/documents/product-information/imnovid-epar-product-information_en.pdf"',
    );
    const config = pageConfigOf(html);
    expect(config.directLine).to.deep.equal({
      mode: 'local',
      domain: '/v3/directline',
      tokenUrl: '/v3/directline/tokens/generate',
    });
    expect(config.botName).to.equal('Imnovid info');
    // Named after the one medicine served, from its folder, exactly as before medicines had folders.
    expect(html).to.contain('<title>Imnovid info: questions about Imnovid (pomalidomide)</title>');
    expect(html).to.contain('<h1 class="page-title">Imnovid info</h1>');
    expect(html).to.contain('overview of Imnovid. They are general information');
    expect(html).to.contain('You can read the EMA overview of Imnovid on the EMA website.');
    expect(config.save).to.include({ fileName: 'imnovid-conversation' });
  });

  it('serves the Web Chat bundle byte for byte from node_modules, cached and compressed', async () => {
    const expected = readFileSync(bundlePath);
    const path = `/static/webchat-${bundleVersion}.js`;
    const plain = await rawGet(local.base, path, {});
    expect(plain.status).to.equal(200);
    expect(plain.headers['content-type']).to.match(/^application\/javascript/);
    expect(plain.headers['cache-control']).to.contain('immutable');
    expect(createHash('sha256').update(plain.body).digest('hex')).to.equal(
      createHash('sha256').update(expected).digest('hex'),
    );

    const gzipped = await rawGet(local.base, path, { 'Accept-Encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).to.equal('gzip');
    expect(gzipped.body.length).to.be.below(expected.length / 2);
    expect(gunzipSync(gzipped.body).equals(expected)).to.equal(true);

    const again = await rawGet(local.base, path, { 'If-None-Match': String(plain.headers.etag) });
    expect(again.status).to.equal(304);
    expect(again.body.length).to.equal(0);
  });

  it('serves the page script and styles the page refers to', async () => {
    const html = (await get(local.base, '/')).body.toString('utf8');
    const refs = [...html.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)].map((m) => m[1]);
    expect(refs).to.have.length(3);
    for (const ref of refs) {
      const res = await get(local.base, ref);
      expect(res.status, ref).to.equal(200);
      expect(res.body.length, ref).to.be.above(500);
    }
  });

  it('serves embed.js with the widget texts filled in and valid JavaScript', async () => {
    const res = await get(local.base, '/embed.js');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/javascript/);
    expect(res.headers.get('cross-origin-resource-policy')).to.equal('cross-origin');
    expect(res.headers.get('cache-control')).to.equal('public, max-age=300');
    const source = res.body.toString('utf8');
    expect(source).to.not.contain('filled in by the server');
    expect(source).to.contain(JSON.stringify('Questions about Imnovid?'));
    expect(() => new Script(source)).to.not.throw();
  });

  it('serves the demo hospital page with the widget embedded by one script tag', async () => {
    const res = await get(local.base, '/demo');
    expect(res.status).to.equal(200);
    expect(cspOf(res.headers).get('script-src')).to.deep.equal(["'self'"]);
    const html = res.body.toString('utf8');
    const tags = scriptTags(html);
    expect(tags).to.have.length(1);
    expect(tags[0]).to.match(/^<script src="\/embed\.js" data-position="right" data-accent="#[0-9a-f]{6}"/);
    expect(tags[0]).to.contain('data-title="Questions about Imnovid?"');
    expect(tags[0]).to.contain('data-lang="en"');
  });

  it('answers HEAD like GET, without the body, for the pages, embed.js and the bundle', async () => {
    for (const [path, headers] of [
      ['/', {}],
      ['/demo', {}],
      ['/embed.js', {}],
      ['/embed.js', { 'Accept-Encoding': 'gzip' }],
      [`/static/webchat-${bundleVersion}.js`, { 'Accept-Encoding': 'gzip' }],
    ] as const) {
      const label = `HEAD ${path} ${JSON.stringify(headers)}`;
      const got = await rawRequest(local.base, 'GET', path, headers);
      const head = await rawRequest(local.base, 'HEAD', path, headers);
      expect(head.status, label).to.equal(200);
      expect(head.body.length, label).to.equal(0);
      expect(got.body.length, label).to.be.above(0);
      for (const name of ['content-type', 'content-length', 'cache-control', 'content-encoding', 'etag']) {
        expect(head.headers[name], `${label} ${name}`).to.equal(got.headers[name]);
      }
      expect(Number(head.headers['content-length']), label).to.equal(got.body.length);
    }
    const embed = await rawRequest(local.base, 'HEAD', '/embed.js', {});
    expect(embed.headers['cross-origin-resource-policy']).to.equal('cross-origin');
    const page = await rawRequest(local.base, 'HEAD', '/', {});
    expect(page.headers['content-security-policy']).to.contain("frame-ancestors 'self'");
  });

  it('lets only ALLOWED_ORIGINS frame the chat page, and nobody else frame the demo', async () => {
    const withHospital = await start({ ALLOWED_ORIGINS: `${HOSPITAL}, not an origin` });
    const chat = cspOf((await get(withHospital.base, '/')).headers);
    expect(chat.get('frame-ancestors')).to.deep.equal(["'self'", HOSPITAL]);
    const demo = cspOf((await get(withHospital.base, '/demo')).headers);
    expect(demo.get('frame-ancestors')).to.deep.equal(["'self'"]);
  });
});
