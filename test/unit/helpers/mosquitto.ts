// A real MQTT broker for the carer tests: Debian's mosquitto on free loopback ports. Always a plain MQTT listener
// (anonymous, for the tests' own subscribers) and a WebSocket one; optionally a listener that wants a user name and
// password (a password file made with mosquitto_passwd) and a TLS listener (a test CA and server certificate made
// with openssl). Mosquitto 2.0 cannot bind a WebSocket listener to port 0, so free ports are found first; `pause`
// and `resume` stop and restart it on the same ports (a broker outage).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const MOSQUITTO = process.env.MOSQUITTO_PATH ?? '/usr/sbin/mosquitto';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface BrokerOptions {
  /** The WebSocket listener refuses clients without credentials (CONNACK "not authorised"). */
  refuseAnonymous?: boolean;
  /** Adds `authUrl`: a TCP listener that accepts only these users. */
  users?: Record<string, string>;
  /** Adds `tlsUrl` (mqtts, certificate for localhost and 127.0.0.1) and `caFile`. */
  tls?: boolean;
}

export interface Broker {
  /** ws://127.0.0.1:PORT/ (mosquitto answers on any path). */
  wsUrl: string;
  /** mqtt://127.0.0.1:PORT, anonymous. */
  tcpUrl: string;
  authUrl?: string;
  tlsUrl?: string;
  /** The test CA's certificate (PEM). */
  caFile?: string;
  /** Stops the broker, keeping its ports and files for `resume`. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** A CA and a server certificate for localhost / 127.0.0.1 signed by it, in `folder`. */
function makeCertificates(folder: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: folder, stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Sentinel test CA');
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(folder, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext');
}

export async function startMosquitto(options: BrokerOptions = {}): Promise<Broker> {
  const folder = mkdtempSync(join(tmpdir(), 'sentinel-mosquitto-'));
  const [tcpPort, wsPort, authPort, tlsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  // Run as the user the tests run as: mosquitto started as root would switch to "mosquitto", who cannot read here.
  // Persistence: sessions, queued QoS 1 messages and retained ones outlive a pause, as on a real broker's restart.
  const lines = [`user ${userInfo().username}`, 'persistence true', `persistence_location ${folder}/`, 'per_listener_settings true', `listener ${tcpPort} 127.0.0.1`, 'allow_anonymous true',
    `listener ${wsPort} 127.0.0.1`, 'protocol websockets', `allow_anonymous ${options.refuseAnonymous ? 'false' : 'true'}`];
  if (options.users) {
    const passwords = join(folder, 'passwords');
    for (const [index, [user, password]] of Object.entries(options.users).entries()) {
      execFileSync('mosquitto_passwd', [...(index === 0 ? ['-c'] : []), '-b', passwords, user, password], { stdio: 'ignore' });
    }
    lines.push(`listener ${authPort} 127.0.0.1`, 'allow_anonymous false', `password_file ${passwords}`);
  }
  if (options.tls) {
    makeCertificates(folder);
    lines.push(`listener ${tlsPort} 127.0.0.1`, 'allow_anonymous true', `cafile ${join(folder, 'ca.crt')}`,
      `certfile ${join(folder, 'server.crt')}`, `keyfile ${join(folder, 'server.key')}`);
  }
  const config = join(folder, 'mosquitto.conf');
  writeFileSync(config, `${lines.join('\n')}\n`);

  let broker: ChildProcess | null = null;
  const launch = async () => {
    const child = spawn(MOSQUITTO, ['-c', config, '-v'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk;
        if (output.includes(' running')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`mosquitto exited (${code}): ${output}`)));
    });
    broker = child;
  };
  const halt = async () => {
    const child = broker;
    broker = null;
    if (!child) return;
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    wsUrl: `ws://127.0.0.1:${wsPort}/`,
    tcpUrl: `mqtt://127.0.0.1:${tcpPort}`,
    authUrl: options.users ? `mqtt://127.0.0.1:${authPort}` : undefined,
    tlsUrl: options.tls ? `mqtts://localhost:${tlsPort}` : undefined,
    caFile: options.tls ? join(folder, 'ca.crt') : undefined,
    pause: halt,
    resume: launch,
    async stop() {
      await halt();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
