// Compiles the Electron main process (ES module: package.json is "type": "module") and the preload script
// (CommonJS: sandboxed preloads cannot be ES modules) into dist-electron/. Run by `npm run build:electron`.

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const ELECTRON_OUT_DIR = resolve(REPO_ROOT, 'dist-electron');

const BUNDLES = [
  { entry: 'electron/main.ts', fileName: 'main.js', format: 'es' },
  { entry: 'electron/preload.ts', fileName: 'preload.cjs', format: 'cjs' },
] as const;

/** Builds main.js and preload.cjs into `outDir`; returns their paths. */
export async function buildElectron(outDir: string = ELECTRON_OUT_DIR): Promise<{ main: string; preload: string }> {
  for (const [index, bundle] of BUNDLES.entries()) {
    await build({
      configFile: false,
      root: REPO_ROOT,
      logLevel: 'warn',
      publicDir: false,
      ssr: { noExternal: true, target: 'node' },
      build: {
        ssr: bundle.entry,
        outDir,
        emptyOutDir: index === 0,
        target: 'node22', // Electron 45 ships Node 22
        // Packages (mqtt and its dependencies) go into the bundle: the packaged app has no node_modules.
        sourcemap: true,
        minify: false,
        rolldownOptions: {
          external: ['electron'],
          output: { format: bundle.format, entryFileNames: bundle.fileName },
        },
      },
    });
  }
  return { main: resolve(outDir, 'main.js'), preload: resolve(outDir, 'preload.cjs') };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const { main, preload } = await buildElectron();
  console.log(`built ${main} and ${preload}`);
}
