import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  isAppUrl,
  isNavigationAllowed,
  isPermissionGranted,
  isRequestAllowed,
} from '../../../electron/security';
import { isBlockedInKiosk, type KeyInput } from '../../../electron/kiosk-window';

describe('request filter (session.webRequest.onBeforeRequest)', () => {
  it.each([
    APP_ENTRY_URL,
    `${APP_ORIGIN}/mediapipe/wasm/vision_wasm_internal.wasm`,
    'data:image/png;base64,AAAA',
    'blob:app://skeleton-sentinel/3c1e1a7e-1111-2222-3333-444455556666',
  ])('allows %s', (url) => {
    expect(isRequestAllowed(url)).toBe(true);
  });

  it.each([
    // This machine's other services are not the app: no loopback port is open to the page, nor DevTools.
    'devtools://devtools/bundled/inspector.html',
    'http://127.0.0.1:8080/healthz',
    'http://localhost:5173/@vite/client',
    'ws://localhost:5173/',
    'http://[::1]:8080/',
    'http://127.0.0.1:1883/',
    'https://www.google-analytics.com/collect',
    'https://storage.googleapis.com/mediapipe-models/pose_landmarker.task',
    'http://127.0.0.1.example.com/',
    'http://127.0.0.1@evil.example/',
    'http://192.168.1.20/notify',
    'app://another-host/index.html',
    'file:///etc/passwd',
    'ftp://localhost/',
    'not a url',
  ])('cancels %s', (url) => {
    expect(isRequestAllowed(url)).toBe(false);
  });
});

describe('permissions', () => {
  it('grants the camera to the app origin only', () => {
    expect(isPermissionGranted('media', APP_ORIGIN, ['video'])).toBe(true);
    expect(isPermissionGranted('media', APP_ENTRY_URL, ['video'])).toBe(true);
    expect(isPermissionGranted('media', 'http://127.0.0.1:8080/', ['video'])).toBe(false);
    expect(isPermissionGranted('media', 'https://example.com/', ['video'])).toBe(false);
  });

  it('grants desktop notifications (alerts) to the app origin only', () => {
    expect(isPermissionGranted('notifications', APP_ORIGIN, [])).toBe(true);
    expect(isPermissionGranted('notifications', APP_ENTRY_URL, [])).toBe(true);
    expect(isPermissionGranted('notifications', 'http://127.0.0.1:8080/', [])).toBe(false);
    expect(isPermissionGranted('notifications', 'app://another-host/', [])).toBe(false);
  });

  it('denies the microphone, unknown media types and every other permission', () => {
    expect(isPermissionGranted('media', APP_ORIGIN, ['audio'])).toBe(false);
    expect(isPermissionGranted('media', APP_ORIGIN, ['video', 'audio'])).toBe(false);
    expect(isPermissionGranted('media', APP_ORIGIN, [])).toBe(false);
    for (const permission of ['geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'midi']) {
      expect(isPermissionGranted(permission, APP_ORIGIN, ['video'])).toBe(false);
    }
  });
});

describe('navigation', () => {
  it('stays inside the app', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isNavigationAllowed(`${APP_ORIGIN}/index.html#settings`)).toBe(true);
    expect(isNavigationAllowed('https://example.com/')).toBe(false);
    expect(isNavigationAllowed('http://127.0.0.1:8080/')).toBe(false);
    expect(isNavigationAllowed('file:///tmp/index.html')).toBe(false);
  });
});

describe('kiosk window keys', () => {
  const key = (keyName: string, modifiers: Partial<KeyInput> = {}): KeyInput => ({
    type: 'keyDown', key: keyName, control: false, meta: false, alt: false, shift: false, ...modifiers,
  });

  it.each([
    ['F5', key('F5')],
    ['Ctrl+R', key('r', { control: true })],
    ['Ctrl+Shift+R', key('R', { control: true, shift: true })],
    ['Cmd+R', key('r', { meta: true })],
    ['F12', key('F12')],
    ['Ctrl+Shift+I', key('I', { control: true, shift: true })],
    ['Ctrl+Shift+J', key('J', { control: true, shift: true })],
    ['Ctrl+Shift+C', key('C', { control: true, shift: true })],
    ['Ctrl+W', key('w', { control: true })],
    ['Ctrl+Q', key('q', { control: true })],
    ['Alt+F4', key('F4', { alt: true })],
    ['F11', key('F11')],
    ['Ctrl+P', key('p', { control: true })],
    ['Ctrl++', key('+', { control: true })],
  ])('a kiosk swallows %s', (_name, input) => {
    expect(isBlockedInKiosk(input, true)).toBe(true);
    expect(isBlockedInKiosk(input, false)).toBe(false);
  });

  it('lets typing, copying and key releases through', () => {
    for (const input of [key('1'), key('Enter'), key('Backspace'), key('c', { control: true }), key('a', { control: true }), { ...key('F5'), type: 'keyUp' }]) {
      expect(isBlockedInKiosk(input, true), JSON.stringify(input)).toBe(false);
    }
  });
});
