/**
 * Minimal MQTT 3.1.1 client for one thing: publish a carer notification over MQTT-over-WebSocket (subprotocol
 * "mqtt") and disconnect. Hand-written CONNECT / PUBLISH (QoS 1) / DISCONNECT encoders and a reader for CONNACK /
 * PUBACK. Runs in the relay (Electron main, or a Node with a global WebSocket), never in the renderer.
 */
const encoder = new TextEncoder();

/** MQTT "remaining length": 7 bits per byte, high bit = more bytes follow; at most 4 bytes. */
export function encodeRemainingLength(length: number): number[] {
  if (!Number.isInteger(length) || length < 0 || length > 268_435_455) throw new Error(`MQTT: remaining length ${length} out of range`);
  const bytes: number[] = [];
  do {
    let byte = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    bytes.push(byte);
  } while (length > 0);
  return bytes;
}

function utf8String(text: string): number[] {
  const bytes = encoder.encode(text);
  if (bytes.length > 0xffff) throw new Error('MQTT: string longer than 65535 bytes');
  return [bytes.length >> 8, bytes.length & 0xff, ...bytes];
}

function packet(typeAndFlags: number, body: number[]): Uint8Array {
  return Uint8Array.from([typeAndFlags, ...encodeRemainingLength(body.length), ...body]);
}

export function encodeConnect(clientId: string, keepAliveS = 30): Uint8Array {
  const cleanSession = 0x02;
  return packet(0x10, [...utf8String('MQTT'), 0x04, cleanSession, keepAliveS >> 8, keepAliveS & 0xff, ...utf8String(clientId)]);
}

/** PUBLISH with QoS 1 (the broker acknowledges with PUBACK), not retained. */
export function encodePublish(topic: string, payload: Uint8Array, packetId: number): Uint8Array {
  if (topic === '' || /[#+]/.test(topic)) throw new Error(`MQTT: "${topic}" is not a topic name to publish to`);
  return packet(0x30 | (1 << 1), [...utf8String(topic), packetId >> 8, packetId & 0xff, ...payload]);
}

export const DISCONNECT = Uint8Array.from([0xe0, 0x00]);

/** Reads a CONNACK (→ return code) or PUBACK (→ packet id) from one WebSocket message. */
export function readAck(bytes: Uint8Array): { type: 'connack'; returnCode: number } | { type: 'puback'; packetId: number } {
  if (bytes.length === 4 && bytes[0] === 0x20 && bytes[1] === 0x02) return { type: 'connack', returnCode: bytes[3]! };
  if (bytes.length === 4 && bytes[0] === 0x40 && bytes[1] === 0x02) return { type: 'puback', packetId: (bytes[2]! << 8) | bytes[3]! };
  throw new Error(`MQTT: unexpected packet ${Array.from(bytes.slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ')}`);
}

const CONNACK_ERRORS = ['', 'unacceptable protocol version', 'identifier rejected', 'server unavailable', 'bad user name or password', 'not authorised'];

type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

/** Connects, publishes `payload` to `topic` with QoS 1, waits for the PUBACK, disconnects. */
export function mqttPublish(
  url: string,
  topic: string,
  payload: string,
  WebSocketImpl: WebSocketConstructor | undefined = globalThis.WebSocket,
  timeoutMs = 5000,
): Promise<void> {
  if (!WebSocketImpl) return Promise.reject(new Error('MQTT over WebSocket needs a runtime with WebSocket (Electron, Node ≥ 22)'));
  return new Promise((resolve, reject) => {
    const socket = new WebSocketImpl(url, 'mqtt');
    socket.binaryType = 'arraybuffer';
    const packetId = 1;
    const fail = (message: string) => {
      clearTimeout(timer);
      socket.close();
      reject(new Error(`MQTT ${url}: ${message}`));
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    socket.onopen = () => socket.send(encodeConnect(`skeleton-sentinel-${Math.random().toString(36).slice(2, 10)}`));
    socket.onerror = () => fail('connection failed');
    socket.onmessage = (message) => {
      try {
        const ack = readAck(new Uint8Array(message.data as ArrayBuffer));
        if (ack.type === 'connack') {
          if (ack.returnCode !== 0) return fail(`connection refused: ${CONNACK_ERRORS[ack.returnCode] ?? ack.returnCode}`);
          socket.send(encodePublish(topic, encoder.encode(payload), packetId));
        } else if (ack.packetId === packetId) {
          clearTimeout(timer);
          socket.send(DISCONNECT);
          socket.close();
          resolve();
        }
      } catch (error) {
        fail((error as Error).message);
      }
    };
  });
}
