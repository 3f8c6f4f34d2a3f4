// A real MQTT broker for the relay tests: Debian's mosquitto on free loopback ports, a plain MQTT listener (for the
// test's own subscriber) and a WebSocket listener (what the relay talks to). Mosquitto 2.0 cannot bind a WebSocket
// listener to port 0, so free ports are found first; it also needs a plain listener beside a WebSocket one.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MOSQUITTO = process.env.MOSQUITTO_PATH ?? '/usr/sbin/mosquitto';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Broker {
  /** ws://127.0.0.1:PORT/ (mosquitto answers on any path). */
  wsUrl: string;
  /** mqtt://127.0.0.1:PORT for subscribers. */
  tcpUrl: string;
  stop(): Promise<void>;
}

/** `refuseAnonymous`: the WebSocket listener refuses clients without credentials (CONNACK "not authorised"). */
export async function startMosquitto(options: { refuseAnonymous?: boolean } = {}): Promise<Broker> {
  const folder = mkdtempSync(join(tmpdir(), 'sentinel-mosquitto-'));
  const [tcpPort, wsPort] = [await freePort(), await freePort()];
  const config = join(folder, 'mosquitto.conf');
  writeFileSync(
    config,
    ['per_listener_settings true', `listener ${tcpPort} 127.0.0.1`, 'allow_anonymous true', `listener ${wsPort} 127.0.0.1`,
      'protocol websockets', `allow_anonymous ${options.refuseAnonymous ? 'false' : 'true'}`, ''].join('\n'),
  );
  const broker: ChildProcess = spawn(MOSQUITTO, ['-c', config, '-v'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes(' running')) resolve();
    };
    broker.stdout!.on('data', onData);
    broker.stderr!.on('data', onData);
    broker.once('error', reject);
    broker.once('exit', (code) => reject(new Error(`mosquitto exited (${code}): ${output}`)));
  });
  return {
    wsUrl: `ws://127.0.0.1:${wsPort}/`,
    tcpUrl: `mqtt://127.0.0.1:${tcpPort}`,
    async stop() {
      broker.removeAllListeners('exit');
      const exited = new Promise((resolve) => broker.once('exit', resolve));
      broker.kill('SIGTERM');
      await exited;
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
