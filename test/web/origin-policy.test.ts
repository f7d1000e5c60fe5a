// One origin policy for both web doors: the token endpoint and the local Direct Line agree on every origin.
import { expect } from 'chai';
import { FakeAzure, HOSPITAL, SECRET, closeStarted, rawRequest, start, type Running } from './helpers';

after(closeStarted);

describe('web channels: one origin policy', () => {
  let azure: FakeAzure;
  let server: Running;

  before(async () => {
    azure = await new FakeAzure().start();
    // The local Direct Line is mounted too (no app id): both doors of the same server.
    server = await start({
      DIRECT_LINE_SECRET: SECRET,
      DIRECT_LINE_ENDPOINT: azure.url,
      ALLOWED_ORIGINS: HOSPITAL,
    });
  });

  after(() => azure.close());

  it('the token endpoint and the local Direct Line agree on every origin', async () => {
    const port = new URL(server.base).port;
    const cases: { label: string; headers: Record<string, string>; allowed: boolean }[] = [
      { label: 'our page (loopback)', headers: { Origin: server.origin }, allowed: true },
      {
        label: 'our page (localhost)',
        headers: { Host: `localhost:${port}`, Origin: `http://localhost:${port}` },
        allowed: true,
      },
      { label: 'allowed hospital', headers: { Origin: HOSPITAL }, allowed: true },
      {
        label: 'allowed hospital, other spelling',
        headers: { Origin: 'HTTPS://WWW.Hospital.Example:443' },
        allowed: true,
      },
      { label: 'other site', headers: { Origin: 'https://evil.example' }, allowed: false },
      { label: 'hospital over http', headers: { Origin: 'http://www.hospital.example' }, allowed: false },
      { label: 'opaque origin', headers: { Origin: 'null' }, allowed: false },
      {
        label: 'DNS rebinding',
        headers: {
          Host: `rebind.attacker.example:${port}`,
          Origin: `http://rebind.attacker.example:${port}`,
        },
        allowed: false,
      },
    ];
    for (const { label, headers, allowed } of cases) {
      const all = { 'Content-Type': 'application/json', ...headers };
      const token = await rawRequest(server.base, 'POST', '/api/directline/token', all);
      const local = await rawRequest(server.base, 'POST', '/v3/directline/conversations', all);
      expect(token.status, `token: ${label}`).to.equal(allowed ? 200 : 403);
      expect(local.status, `direct line: ${label}`).to.equal(allowed ? 201 : 403);
      const expectedCors = allowed && headers.Origin === HOSPITAL ? HOSPITAL : undefined;
      if (headers.Origin === HOSPITAL) {
        expect(token.headers['access-control-allow-origin'], label).to.equal(expectedCors);
        expect(local.headers['access-control-allow-origin'], label).to.equal(expectedCors);
      }
      if (!allowed) {
        expect(token.headers['access-control-allow-origin'], `token: ${label}`).to.equal(undefined);
        expect(local.headers['access-control-allow-origin'], `direct line: ${label}`).to.equal(undefined);
      }
    }
  });
});
