// Compiles the Electron main process (ES module: package.json is "type": "module") and the preload script
// (CommonJS: sandboxed preloads cannot be ES modules) into dist-electron/. Run by `npm run build:electron`.

import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

const BUNDLES = [
  { entry: 'electron/main.ts', fileName: 'main.js', format: 'es' },
  { entry: 'electron/preload.ts', fileName: 'preload.cjs', format: 'cjs' },
] as const;

for (const [index, bundle] of BUNDLES.entries()) {
  await build({
    configFile: false,
    root: REPO_ROOT,
    logLevel: 'warn',
    publicDir: false,
    build: {
      ssr: bundle.entry,
      outDir: 'dist-electron',
      emptyOutDir: index === 0,
      target: 'node22', // Electron 45 ships Node 22
      sourcemap: true,
      minify: false,
      rolldownOptions: {
        external: ['electron'],
        output: { format: bundle.format, entryFileNames: bundle.fileName },
      },
    },
  });
  console.log(`dist-electron/${bundle.fileName}`);
}
