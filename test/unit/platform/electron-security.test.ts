import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  isAppUrl,
  isNavigationAllowed,
  isPermissionGranted,
  isRequestAllowed,
} from '../../../electron/security';

describe('request filter (session.webRequest.onBeforeRequest)', () => {
  it.each([
    APP_ENTRY_URL,
    `${APP_ORIGIN}/mediapipe/wasm/vision_wasm_internal.wasm`,
    'devtools://devtools/bundled/inspector.html',
    'http://127.0.0.1:8080/healthz',
    'http://localhost:5173/@vite/client',
    'ws://localhost:5173/',
    'http://[::1]:8080/',
    'data:image/png;base64,AAAA',
    'blob:app://skeleton-sentinel/3c1e1a7e-1111-2222-3333-444455556666',
  ])('allows %s', (url) => {
    expect(isRequestAllowed(url)).toBe(true);
  });

  it.each([
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

  it('denies the microphone, unknown media types and every other permission', () => {
    expect(isPermissionGranted('media', APP_ORIGIN, ['audio'])).toBe(false);
    expect(isPermissionGranted('media', APP_ORIGIN, ['video', 'audio'])).toBe(false);
    expect(isPermissionGranted('media', APP_ORIGIN, [])).toBe(false);
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid']) {
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
