// The local server's routes that are not files: /healthz and the host API of src/kiosk/host.ts (session, carer
// relay, kiosk exit), each behind the request guard. Also mounted in the Vite dev and preview servers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_CLIP_BYTES, MAX_NOTIFICATION_BYTES } from '../src/alerts/carer-relay';
import { HOST_ROUTES } from '../src/kiosk/host';
import type { HostService } from '../src/kiosk/host-service';
import { SECURITY_HEADERS } from './csp';
import { checkApiRequest, checkPageRequest, type GuardOptions, type Refusal } from './request-guard';

export const HEALTH_PATH = '/healthz';

function sendJson(response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  response.end(status === 204 ? undefined : JSON.stringify(value));
}

export function sendRefusal(response: ServerResponse, refusal: Refusal): void {
  sendJson(response, refusal.status, { message: refusal.message }, refusal.headers);
}

class BodyError extends Error {
  constructor(readonly status: 400 | 413, message: string) {
    super(message);
  }
}

async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BodyError(413, 'body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BodyError(400, 'body is not JSON');
  }
}

/** Answers `request` when it is for one of these routes and returns true; false for anything else (files). */
export function handleHostRoute(request: IncomingMessage, response: ServerResponse, service: HostService, guard: GuardOptions): boolean {
  const [pathname, search] = (request.url ?? '/').split('?');
  const query = new URLSearchParams(search ?? '');
  type Route = { method: 'GET' | 'POST'; maxBytes?: number; answer: (body: unknown) => Promise<{ status: number; value: unknown }> };
  const relayed = (result: Promise<{ status: number; message: string }>) => result.then(({ status, message }) => ({ status, value: { message } }));
  const routes: Record<string, Route> = {
    [HEALTH_PATH]: { method: 'GET', answer: async () => ({ status: 200, value: { status: 'ok' } }) },
    [HOST_ROUTES.session]: { method: 'GET', answer: async () => ({ status: 200, value: { ...(await service.session()), token: guard.token } }) },
    [HOST_ROUTES.notifyCarer]: { method: 'POST', answer: (body) => relayed(service.notifyCarer(body)) },
    [HOST_ROUTES.publishClip]: { method: 'POST', maxBytes: MAX_CLIP_BYTES, answer: (body) => relayed(service.publishClip(body)) },
    [HOST_ROUTES.acknowledgeAtCarer]: { method: 'POST', answer: (body) => relayed(service.acknowledgeAtCarer(body)) },
    [HOST_ROUTES.carerState]: { method: 'GET', answer: async () => ({ status: 200, value: await service.carerState(Number(query.get('since')) || 0) }) },
    [HOST_ROUTES.stationState]: { method: 'GET', answer: async () => ({ status: 200, value: await service.stationSnapshot() }) },
    [HOST_ROUTES.stationAck]: { method: 'POST', answer: (body) => relayed(service.stationAcknowledge(body)) },
    [HOST_ROUTES.stationClip]: {
      method: 'GET',
      answer: async () => {
        const clip = service.stationClip(query.get('kiosk') ?? '', query.get('event') ?? '');
        return clip ? { status: 200, value: clip } : { status: 404, value: { message: 'this station holds no clip of that event' } };
      },
    },
    [HOST_ROUTES.leaveKiosk]: {
      method: 'POST',
      answer: async (body) => ({ status: 200, value: await service.leaveKiosk((body as { pin?: unknown } | null)?.pin) }),
    },
  };
  const route = pathname === undefined ? undefined : routes[pathname];
  if (!route) return false;
  const refusal = pathname === HEALTH_PATH ? checkPageRequest(request, guard) : checkApiRequest(request, guard, route.method === 'POST');
  if (refusal) {
    sendRefusal(response, refusal);
    return true;
  }
  if (request.method !== route.method) {
    sendJson(response, 405, { message: `${route.method} only` }, { Allow: route.method });
    return true;
  }
  (route.method === 'POST' ? readJsonBody(request, route.maxBytes ?? MAX_NOTIFICATION_BYTES) : Promise.resolve(undefined))
    .then((body) => route.answer(body))
    .then(({ status, value }) => sendJson(response, status, value))
    .catch((error: unknown) => {
      if (error instanceof BodyError) return sendJson(response, error.status, { message: error.message });
      console.error(`Skeleton Sentinel: ${pathname}: ${(error as Error).message}`);
      if (!response.headersSent) sendJson(response, 500, { message: 'internal error' });
      else response.destroy();
    });
  return true;
}
