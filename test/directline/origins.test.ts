// Local Direct Line origin checks: CORS, ALLOWED_ORIGINS, our own origin and DNS rebinding.
import { expect } from 'chai';
import { cleanUp, http, rawRequest, startEcho, testConfig, type Json } from './server';

describe('local Direct Line channel', function () {
  afterEach(cleanUp);

  describe('over plain HTTP', () => {
    it('answers CORS preflights and refuses origins outside ALLOWED_ORIGINS', async () => {
      const config = testConfig({ allowedOrigins: ['https://hospital.example'] });
      const { base } = await startEcho({ config });
      const preflight = await http(base, 'OPTIONS', '/v3/directline/conversations', {
        headers: {
          Origin: 'https://hospital.example',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization, content-type, x-ms-bot-agent',
        },
      });
      expect(preflight.status).to.equal(204);
      expect(preflight.headers.get('access-control-allow-origin')).to.equal('https://hospital.example');
      const allowed = preflight.headers.get('access-control-allow-headers')!.toLowerCase();
      for (const header of ['authorization', 'content-type', 'x-ms-bot-agent', 'x-requested-with']) {
        expect(allowed).to.contain(header);
      }

      const ok = await http(base, 'POST', '/v3/directline/conversations', {
        headers: { Origin: 'https://hospital.example' },
      });
      expect(ok.status).to.equal(201);
      expect(ok.headers.get('access-control-allow-origin')).to.equal('https://hospital.example');
      const refused = await http(base, 'POST', '/v3/directline/conversations', {
        headers: { Origin: 'https://elsewhere.example' },
      });
      expect(refused.status).to.equal(403);
      expect(refused.headers.get('access-control-allow-origin')).to.equal(null);

      // ALLOWED_ORIGINS are compared as origins, however the browser or the setting spells them.
      const spelled = await http(base, 'POST', '/v3/directline/conversations', {
        headers: { Origin: 'HTTPS://Hospital.Example:443' },
      });
      expect(spelled.status).to.equal(201);
    });

    it('with no ALLOWED_ORIGINS lets only our own (loopback) page and non-browser clients start', async () => {
      const { base, port } = await startEcho();
      const elsewhere = await http(base, 'POST', '/v3/directline/conversations', {
        headers: { Origin: 'https://elsewhere.example' },
      });
      expect(elsewhere.status).to.equal(403);
      expect((elsewhere.body.error as Json).code).to.equal('OriginNotAllowed');
      expect(elsewhere.headers.get('access-control-allow-origin')).to.equal(null);
      const preflight = await http(base, 'OPTIONS', '/v3/directline/conversations', {
        headers: { Origin: 'https://elsewhere.example', 'Access-Control-Request-Method': 'POST' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).to.equal(null);

      const own = await http(base, 'POST', '/v3/directline/conversations', {
        headers: { Origin: base },
      });
      expect(own.status).to.equal(201);
      expect(own.headers.get('access-control-allow-origin')).to.equal(base);
      // DirectLineJS in Node, the Emulator, curl: no Origin, no browser to protect.
      expect((await http(base, 'POST', '/v3/directline/conversations', { body: {} })).status).to.equal(201);

      // DNS rebinding: the attacker's name (resolving to us) arrives as both Origin and Host.
      const rebound = await rawRequest(port, 'POST', '/v3/directline/conversations', {
        Host: `rebind.attacker.example:${port}`,
        Origin: `http://rebind.attacker.example:${port}`,
      });
      expect(rebound.status).to.equal(403);
      expect(rebound.headers['access-control-allow-origin']).to.equal(undefined);
      const localhost = await rawRequest(port, 'POST', '/v3/directline/conversations', {
        Host: `localhost:${port}`,
        Origin: `http://localhost:${port}`,
      });
      expect(localhost.status).to.equal(201);
    });

    it('with PUBLIC_BASE_URL set, takes only that as our own origin, not the Host header', async () => {
      const config = testConfig({}, { PUBLIC_BASE_URL: 'https://bot.example.org' });
      const { base, port } = await startEcho({ config });
      const byHost = await http(base, 'POST', '/v3/directline/conversations', { headers: { Origin: base } });
      expect(byHost.status).to.equal(403);
      const rebound = await rawRequest(port, 'POST', '/v3/directline/conversations', {
        Host: `rebind.attacker.example:${port}`,
        Origin: `http://rebind.attacker.example:${port}`,
      });
      expect(rebound.status).to.equal(403);
      const published = await http(base, 'POST', '/v3/directline/conversations', {
        headers: { Origin: 'https://bot.example.org' },
      });
      expect(published.status).to.equal(201);
      expect(published.headers.get('access-control-allow-origin')).to.equal('https://bot.example.org');
    });
  });
});
