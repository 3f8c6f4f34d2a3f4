import { PinGate } from './pin';

/**
 * Kiosk exit with the PIN: a small dialog (DOM only; the checking is PinGate). `onExit` runs after a correct PIN
 * (Electron: ask main to quit / leave kiosk; browser: drop ?kiosk=1 and leave fullscreen).
 */
export function mountKioskExit(container: HTMLElement, pinHash: string, onExit: () => void): { open(): void } {
  const doc = container.ownerDocument;
  const gate = new PinGate(pinHash);
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
    void gate.tryPin(pin, Date.now()).then((result) => {
      if (result === 'ok') {
        dialog.close();
        onExit();
      } else if (result === 'locked') {
        message.textContent = `Too many wrong PINs. Try again in ${Math.ceil(gate.waitMs(Date.now()) / 1000)} s.`;
      } else {
        message.textContent = 'Wrong PIN.';
      }
    });
  });
  return {
    open() {
      message.textContent = '';
      dialog.showModal();
      input.focus();
    },
  };
}
