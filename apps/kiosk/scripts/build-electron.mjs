#!/usr/bin/env node
/**
 * Builds the Electron shell into dist/electron (run by `npm run build:electron -w @yimen/kiosk`, after the kiosk's
 * own build has made dist/agent and dist/contract.js):
 *  - main.js: electron/main.ts and its helpers as one ES module (Electron ≥ 28 loads an ESM main). The agent is
 *    left out: electron/agent.ts's import of ../src/agent/index.js becomes ../agent/index.js, the agent's own
 *    build, so `node dist/agent/main.js` and the Electron app run the same agent code.
 *  - preload.cjs: electron/preload.ts, bridge.ts and src/contract.ts as one CommonJS file. A sandboxed preload
 *    may require('electron') (and events, timers, url) but no file of its own, hence the bundle.
 * Vite (already the renderer's bundler) does the bundling; no Electron binary is needed. Types are checked by
 * `npm run typecheck:electron`, not here.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const kioskDir = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(kioskDir, 'dist/electron');
const AGENT_SOURCE = '../src/agent/index.js';
const AGENT_BUILT = '../agent/index.js';
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** electron/agent.ts → the agent's build in dist/agent, not bundled. */
const agentExternal = {
  name: 'yimen-kiosk-agent-external',
  enforce: 'pre',
  resolveId(source, importer) {
    if (source === AGENT_SOURCE && importer?.replaceAll('\\', '/').endsWith('/electron/agent.ts')) {
      return { id: AGENT_BUILT, external: true };
    }
    return null;
  },
};

const common = { configFile: false, envDir: false, root: kioskDir, publicDir: false, logLevel: 'warn', clearScreen: false };

await build({
  ...common,
  plugins: [agentExternal],
  build: {
    outDir,
    emptyOutDir: true,
    ssr: 'electron/main.ts',
    target: 'node20',
    minify: false,
    sourcemap: true,
    rolldownOptions: {
      external: ['electron', ...nodeBuiltins],
      output: { format: 'es', entryFileNames: 'main.js' },
    },
  },
});

await build({
  ...common,
  build: {
    outDir,
    emptyOutDir: false,
    ssr: 'electron/preload.ts',
    target: 'node20',
    minify: false,
    sourcemap: false,
    rolldownOptions: {
      external: ['electron'],
      output: { format: 'cjs', entryFileNames: 'preload.cjs' },
    },
  },
});

// What each file may load at run time; anything else would be missing from the packaged app (or, for the
// sandboxed preload, refused).
const main = await readFile(join(outDir, 'main.js'), 'utf8');
const mainImports = [...main.matchAll(/^(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|^import\s*['"]([^'"]+)['"]/gm)].map(
  (m) => m[1] ?? m[2],
);
const badMain = mainImports.filter(
  (s) => s !== 'electron' && s !== AGENT_BUILT && !s.startsWith('node:') && !nodeBuiltins.includes(s),
);
if (!mainImports.includes(AGENT_BUILT) || badMain.length > 0) {
  throw new Error(
    `dist/electron/main.js imports ${JSON.stringify(mainImports)}: expected electron, node:* and ${AGENT_BUILT} only`,
  );
}
const preload = await readFile(join(outDir, 'preload.cjs'), 'utf8');
const preloadRequires = [...preload.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
if (/\bimport\s*\(|\bimport\.meta\b/.test(preload) || preloadRequires.some((s) => s !== 'electron')) {
  throw new Error(`dist/electron/preload.cjs must require 'electron' only, found ${JSON.stringify(preloadRequires)}`);
}
if (!existsSync(join(kioskDir, 'dist/agent/index.js'))) {
  console.warn('dist/agent/index.js is not built yet: run the kiosk build (npx turbo run build --filter=@yimen/kiosk...)');
}
console.log(`dist/electron: main.js (imports ${[...new Set(mainImports)].join(', ')}), preload.cjs (requires electron)`);
