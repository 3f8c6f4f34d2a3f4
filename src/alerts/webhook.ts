// The carer webhook: one JSON POST of the event message (carer-messages.ts), signed with HMAC-SHA256 when a shared
// secret is set, so the receiver can tell it came from a kiosk that knows the secret. Node only.
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from './local-lookup';

/** `sha256=<hex of HMAC-SHA256(secret, timestamp + "." + body)>`; the timestamp header lets a receiver refuse replays. */
export const SIGNATURE_HEADER = 'x-sentinel-signature';
export const TIMESTAMP_HEADER = 'x-sentinel-timestamp';

export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** POSTs `body` and resolves with the status; a redirect is an answer like any other, never followed. */
export function postWebhook(url: URL, body: string, options: { secret: string; lookup: LookupFunction; timeoutMs: number; now?: Date }): Promise<number> {
  const timestamp = String(Math.floor((options.now ?? new Date()).getTime() / 1000));
  const signed = options.secret ? { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: webhookSignature(options.secret, timestamp, body) } : {};
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...signed },
      lookup: options.lookup,
      agent: false,
      timeout: options.timeoutMs,
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', reject);
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.end(body);
  });
}
