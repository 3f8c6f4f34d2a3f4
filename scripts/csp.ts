// The one place that defines the HTTP headers every way of serving the renderer sends: the Vite dev/preview
// server (vite.config.ts), the production static server (scripts/serve.ts) and Electron's app:// protocol.

/**
 * connect-src 'self' keeps the app offline by construction: no fetch/XHR/WebSocket can leave the origin
 * (it also stops any usage-metrics logger in a MediaPipe build before a request is made).
 * 'wasm-unsafe-eval' lets MediaPipe and onnxruntime compile WebAssembly without allowing JS eval.
 * blob: workers and media: recordings and camera streams are object URLs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob: mediastream:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Cross-origin isolation (COOP + COEP) makes SharedArrayBuffer available, so WASM can use threads. */
export const CROSS_ORIGIN_ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  ...CROSS_ORIGIN_ISOLATION_HEADERS,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(self), microphone=(), geolocation=()',
};
