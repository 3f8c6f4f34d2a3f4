// The kiosk's part of the screen: the privacy view it starts with and the exit button. The host (server or
// Electron main) checks the PIN and leaves kiosk mode; the reloaded page then is no kiosk.
import { mountKioskExit } from '../kiosk/exit-dialog';
import type { HostApi } from '../kiosk/host';
import { applyPrivacyView, type KioskSettings } from '../kiosk/kiosk';
import type { Dom } from './dom';
import { errorText } from './status-banner';

export function setUpKiosk(dom: Pick<Dom, 'privacy' | 'video' | 'stage' | 'kioskExit'>, kiosk: KioskSettings, host: HostApi, showError: (message: string) => void): void {
  dom.privacy.checked = kiosk.privacyView;
  applyPrivacyView(dom.video, dom.stage, kiosk.privacyView);
  const reload = (): void => location.reload();
  const leaveWithoutPin = async (): Promise<void> => {
    if ((await host.leaveKiosk('')).result === 'ok') reload();
  };
  const exit = kiosk.exitNeedsPin
    ? mountKioskExit(document.body, (pin) => host.leaveKiosk(pin), reload)
    : { open: () => void leaveWithoutPin().catch((error: unknown) => showError(errorText(error))) };
  dom.kioskExit.hidden = false;
  dom.kioskExit.addEventListener('click', () => exit.open());
}
