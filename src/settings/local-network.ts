/**
 * Carer notifications may only go to the local network: the kiosk must never send health events to the internet.
 * Accepted hosts: private IPv4 (10/8, 172.16/12, 192.168/16), loopback, link-local, IPv6 unique-local / link-local /
 * loopback, "localhost" and mDNS ".local" names.
 */
/** http(s): webhook; mqtt(s), ws(s): an MQTT broker over TCP, TLS or WebSocket. */
export const CARER_PROTOCOLS: readonly string[] = ['http:', 'https:', 'mqtt:', 'mqtts:', 'ws:', 'wss:'];

export function isLocalNetworkUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (!CARER_PROTOCOLS.includes(url.protocol)) return false;
  return isLocalHost(url.hostname);
}

export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.local')) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  if (host.includes(':')) {
    return host === '::1' || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host);
  }
  return false;
}
