import { defineConfig } from 'vitest/config';

// End-to-end tests: the built app in headless Chromium (/usr/bin/chromium) with a fake webcam. One file at a
// time, because each launches a browser that runs MediaPipe and ONNX Runtime on the machine's few cores.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
