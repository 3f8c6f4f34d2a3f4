// What a kiosk window refuses (wired up in main.ts, unit-tested in Node). There is no application menu, so the
// default menu's accelerators (reload, DevTools, zoom, quit) do not exist; these are the keys Chromium or the
// window itself would still act on.

/** The parts of Electron's before-input-event Input that matter here. */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
}

const BLOCKED_ALONE = new Set(['F5', 'F11', 'F12', 'BrowserRefresh']);
/** With Ctrl (Cmd on macOS): reload, DevTools, close, quit, print, save, view source, find, new window, zoom. */
const BLOCKED_WITH_MODIFIER = new Set(['r', 'i', 'j', 'c', 'w', 'q', 'p', 's', 'u', 'f', 'n', 't', '+', '-', '=', '0']);

/** Whether a kiosk swallows this key press (a non-kiosk window lets everything through). */
export function isBlockedInKiosk(input: KeyInput, kiosk: boolean): boolean {
  if (!kiosk || input.type !== 'keyDown') return false;
  if (BLOCKED_ALONE.has(input.key)) return true;
  if (input.alt && input.key === 'F4') return true;
  const key = input.key.toLowerCase();
  // Ctrl+C alone copies; only Ctrl+Shift+C (element inspector) is refused.
  if (key === 'c' && !input.shift) return false;
  return (input.control || input.meta) && BLOCKED_WITH_MODIFIER.has(key);
}
