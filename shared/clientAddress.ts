// Who a request comes from, for per-client limits. The socket's address, unless the socket belongs to a
// configured reverse proxy: then the nearest X-Forwarded-For hop that is not one of our proxies. A client
// can write anything into X-Forwarded-For, so it is read only from a proxy we trust.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** `::ffff:1.2.3.4` and `1.2.3.4` are the same client. */
function normaliseIp(address: string): string {
  const bare = address.trim().toLowerCase();
  return bare.startsWith('::ffff:') && isIP(bare.slice(7)) === 4 ? bare.slice(7) : bare;
}

export function clientAddress(req: IncomingMessage, trustedProxies: readonly string[]): string {
  const remote = normaliseIp(req.socket?.remoteAddress ?? '');
  if (trustedProxies.length === 0) return remote;
  const trusted = new Set(trustedProxies.map(normaliseIp));
  if (!trusted.has(remote)) return remote;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map(normaliseIp)
    .filter((hop) => hop !== '');
  // Proxies append the address they saw: walk back from the nearest hop past our own proxies.
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    if (trusted.has(hops[i])) continue;
    // Anything that is not an address (a forged "unknown") still names one key, kept short.
    return isIP(hops[i]) ? hops[i] : hops[i].slice(0, 64);
  }
  return remote;
}
