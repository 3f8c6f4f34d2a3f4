// Reads a Chromium net log (--log-net-log=FILE, written when the browser closes) and lists everything in it that
// tried to reach a host other than this machine.
import { readFileSync } from 'node:fs';

interface NetLogEvent {
  type: number;
  source: { id: number };
  params?: Record<string, unknown>;
}

const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?)$/i;

/** "127.0.0.1:443", "[::1]:80", "localhost" or a URL → whether it names this machine. */
export function isLoopback(hostOrAddress: string): boolean {
  let host = hostOrAddress;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) host = new URL(host).hostname;
  else host = host.replace(/^\[([^\]]+)\](:\d+)?$/, '$1').replace(/^([^:]+):\d+$/, '$1');
  return LOOPBACK_HOST.test(host);
}

/**
 * Off-machine attempts: URL requests and host-name resolutions for another host, TCP connection attempts to another
 * address, and UDP datagrams sent to one (DNS). A UDP socket that is only connected and sends nothing is Chromium's
 * routing-table probe (which local address would reach the internet): no packet leaves, so it is not listed.
 */
export function offMachineAttempts(netLogPath: string): string[] {
  const log = JSON.parse(readFileSync(netLogPath, 'utf8')) as { constants: { logEventTypes: Record<string, number> }; events: NetLogEvent[] };
  const name = new Map(Object.entries(log.constants.logEventTypes).map(([key, id]) => [id, key]));
  const udpPeers = new Map<number, string>();
  const attempts = new Set<string>();
  for (const event of log.events) {
    const type = name.get(event.type) ?? String(event.type);
    const params = event.params ?? {};
    const text = (key: string) => (typeof params[key] === 'string' ? (params[key] as string) : undefined);
    const url = text('url');
    if (type === 'URL_REQUEST_START_JOB' && url && !url.startsWith('data:') && !isLoopback(url)) attempts.add(`request ${url}`);
    const host = text('host');
    if (type === 'HOST_RESOLVER_MANAGER_JOB' && host && !isLoopback(host.replace(/^[a-z]+:\/\//, ''))) attempts.add(`resolve ${host}`);
    const address = text('address');
    if (type === 'TCP_CONNECT_ATTEMPT' && address && !isLoopback(address)) attempts.add(`tcp ${address}`);
    if (type === 'UDP_CONNECT' && address) udpPeers.set(event.source.id, address);
    const peer = udpPeers.get(event.source.id) ?? text('address');
    if (type === 'UDP_BYTES_SENT' && peer && !isLoopback(peer)) attempts.add(`udp ${peer}`);
  }
  return [...attempts];
}
