import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DISCONNECT, encodeConnect, encodePublish, encodeRemainingLength, readAck } from '../../../src/alerts/mqtt';

const bytes = (text: string) => [...Buffer.from(text)];

describe('MQTT 3.1.1 encoding', () => {
  it('remaining length: 7 bits per byte, continuation bit, at most 4 bytes', () => {
    expect(encodeRemainingLength(0)).toEqual([0x00]);
    expect(encodeRemainingLength(127)).toEqual([0x7f]);
    expect(encodeRemainingLength(128)).toEqual([0x80, 0x01]);
    expect(encodeRemainingLength(16_383)).toEqual([0xff, 0x7f]);
    expect(encodeRemainingLength(16_384)).toEqual([0x80, 0x80, 0x01]);
    expect(encodeRemainingLength(268_435_455)).toEqual([0xff, 0xff, 0xff, 0x7f]);
    expect(() => encodeRemainingLength(268_435_456)).toThrow('out of range');
  });

  it('CONNECT, PUBLISH (QoS 1), DISCONNECT bytes', () => {
    expect([...encodeConnect('ab', 30)]).toEqual([0x10, 14, 0, 4, ...bytes('MQTT'), 4, 0x02, 0, 30, 0, 2, ...bytes('ab')]);
    expect([...encodePublish('a/b', Uint8Array.from(bytes('hi')), 1)]).toEqual([0x32, 9, 0, 3, ...bytes('a/b'), 0, 1, ...bytes('hi')]);
    const long = encodePublish('t', new Uint8Array(200), 7);
    expect([...long.slice(0, 3)]).toEqual([0x32, 205 % 128 | 0x80, 1]);
    expect([...DISCONNECT]).toEqual([0xe0, 0]);
    expect(() => encodePublish('alarms/#', new Uint8Array(), 1)).toThrow('not a topic name');
  });

  it('reads CONNACK and PUBACK, and reports anything else', () => {
    expect(readAck(Uint8Array.from([0x20, 2, 0, 5]))).toEqual({ type: 'connack', returnCode: 5 });
    expect(readAck(Uint8Array.from([0x40, 2, 1, 2]))).toEqual({ type: 'puback', packetId: 258 });
    expect(() => readAck(Uint8Array.from([0x90, 3, 0, 1, 0]))).toThrow('unexpected packet 90 03 00 01 00');
  });
});

/** A tiny MQTT-over-WebSocket broker: RFC 6455 handshake and framing by hand, CONNACK / PUBACK, records PUBLISHes. */
function broker(connackCode: number) {
  const published: Array<{ topic: string; payload: string }> = [];
  const server = createServer();
  server.on('upgrade', (req, socket: Duplex) => {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n`);
    const send = (packet: number[]) => socket.write(Buffer.from([0x82, packet.length, ...packet]));
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (buffered.length < 2) return;
        const opcode = buffered[0]! & 0x0f;
        let length = buffered[1]! & 0x7f;
        let offset = 2;
        if (length === 126) [length, offset] = [buffered.readUInt16BE(2), 4];
        if (buffered.length < offset + 4 + length) return;
        const mask = buffered.subarray(offset, offset + 4);
        const data = Buffer.from(buffered.subarray(offset + 4, offset + 4 + length).map((b, i) => b ^ mask[i % 4]!));
        buffered = buffered.subarray(offset + 4 + length);
        if (opcode === 0x8) return void socket.end();
        const type = data[0]! >> 4;
        if (type === 1) send([0x20, 2, 0, connackCode]);
        if (type === 3) {
          const topicLength = data.readUInt16BE(2);
          const topic = data.subarray(4, 4 + topicLength).toString();
          const id = data.readUInt16BE(4 + topicLength);
          published.push({ topic, payload: data.subarray(6 + topicLength).toString() });
          send([0x40, 2, id >> 8, id & 0xff]);
        }
      }
    });
  });
  return { server, published };
}

describe('carer relay over MQTT-over-WebSocket', () => {
  const servers: Server[] = [];
  afterEach(() => servers.splice(0).forEach((server) => server.close()));

  /** Runs the relay in a child (Node 20 needs --experimental-websocket); the broker runs in this process. */
  const relay = async (connackCode: number, path: string) => {
    const { server, published } = broker(connackCode);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
    const child = spawn(process.execPath, ['--experimental-websocket', '--no-warnings', '--import', 'tsx', join(import.meta.dirname, 'helpers/mqtt-relay.ts'), url]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    await new Promise((resolve) => child.on('exit', resolve));
    expect(stderr).toBe('');
    return { result: JSON.parse(stdout), published };
  };

  it('publishes the notification JSON (QoS 1) to the topic in the URL fragment and reports delivery', async () => {
    const { result, published } = await relay(0, '/mqtt#care%2Fward-3');
    expect(result).toEqual({ status: 204, message: 'delivered' });
    expect(published).toHaveLength(1);
    expect(published[0]!.topic).toBe('care/ward-3');
    expect(JSON.parse(published[0]!.payload)).toMatchObject({ id: 'mqtt-1', type: 'fall' });
  });

  it('uses the default topic without a fragment, and reports a broker that refuses the connection', async () => {
    expect((await relay(0, '/mqtt')).published[0]!.topic).toBe('skeleton-sentinel/alerts');
    const refused = await relay(5, '/mqtt');
    expect(refused.result.status).toBe(502);
    expect(refused.result.message).toMatch(/connection refused: not authorised/);
    expect(refused.published).toEqual([]);
  });
});
