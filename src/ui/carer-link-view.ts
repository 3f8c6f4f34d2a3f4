import type { AckMessage } from '../alerts/carer-messages';
import type { HostApi } from '../kiosk/host';

/** How often the kiosk asks its host about the carer link (its state, and acknowledgements from stations). */
export const CARER_POLL_MS = 1000;

/**
 * The carer link's line in the alerts panel: whether the broker takes the kiosk's messages, and why not (a wrong
 * password or an untrusted certificate is named, from the host). Each acknowledgement a carer station sends is
 * handed to `onAck` once. State for tests: `data-carer-state` on `line` (off, webhook, connecting, connected, failing).
 */
export function watchCarerLink(host: HostApi, line: HTMLElement, onAck: (ack: AckMessage) => void): () => void {
  let since = 0;
  let lastAck = '';
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const show = (state: string, text: string, failing: boolean) => {
    line.dataset.carerState = state;
    line.textContent = text;
    line.classList.toggle('error', failing);
  };
  const poll = async () => {
    try {
      const link = await host.carerState(since);
      for (const { seq, ack } of link.acks) {
        since = Math.max(since, seq);
        lastAck = `; ${new Date(ack.time).toLocaleTimeString()} acknowledged at the carer station (${ack.by})`;
        onAck(ack);
      }
      if (link.channel === 'off') show('off', '', false);
      else if (link.channel === 'webhook') show('webhook', 'Carer notifications: webhook.', false);
      else if (link.state === 'failing') show('failing', `Carer broker: ${link.problem}.`, true);
      else show(link.state ?? 'connecting', `Carer broker: ${link.state === 'connected' ? `connected as ${link.kioskId}` : 'connecting'}${lastAck}.`, false);
    } catch (error) {
      show('failing', `Carer link: ${(error as Error).message}.`, true);
    }
    if (!stopped) timer = setTimeout(() => void poll(), CARER_POLL_MS);
  };
  void poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
