import type { KioskExitResult } from './host';

/**
 * Kiosk exit with the PIN: a small dialog (DOM only). The PIN is checked by the host (`leaveKiosk`: local server
 * or Electron main), which also keeps the lockout; the page never sees the PIN hash. `onLeft` runs once the host has
 * left kiosk mode (the page reloads to show it).
 */
export function mountKioskExit(
  container: HTMLElement,
  leaveKiosk: (pin: string) => Promise<KioskExitResult>,
  onLeft: () => void,
): { open(): void } {
  const doc = container.ownerDocument;
  const dialog = doc.createElement('dialog');
  dialog.className = 'kiosk-exit';
  const form = doc.createElement('form');
  form.method = 'dialog';
  const label = doc.createElement('label');
  label.textContent = 'PIN to leave kiosk mode ';
  const input = doc.createElement('input');
  input.type = 'password';
  input.inputMode = 'numeric';
  input.autocomplete = 'off';
  input.maxLength = 12;
  label.append(input);
  const message = doc.createElement('p');
  message.setAttribute('role', 'status');
  const ok = doc.createElement('button');
  ok.textContent = 'Exit';
  const cancel = doc.createElement('button');
  cancel.textContent = 'Cancel';
  cancel.type = 'button';
  cancel.addEventListener('click', () => dialog.close());
  form.append(label, message, ok, cancel);
  dialog.append(form);
  container.append(dialog);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const pin = input.value;
    input.value = '';
    leaveKiosk(pin).then(
      (answer) => {
        if (answer.result === 'ok') {
          dialog.close();
          onLeft();
        } else if (answer.result === 'locked') {
          message.textContent = `Too many wrong PINs. Try again in ${Math.ceil(answer.waitMs / 1000)} s.`;
        } else {
          message.textContent = 'Wrong PIN.';
        }
      },
      (error: unknown) => (message.textContent = `The PIN could not be checked: ${(error as Error).message}`),
    );
  });
  return {
    open() {
      message.textContent = '';
      dialog.showModal();
      input.focus();
    },
  };
}
