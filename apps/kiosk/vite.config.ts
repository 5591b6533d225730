import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The kiosk renderer: built into dist/renderer and served by the queue server at /kiosk (files under /kiosk-app/).
export default defineConfig({
  plugins: [react()],
  root: fileURLToPath(new URL('src/renderer', import.meta.url)),
  base: '/kiosk-app/',
  build: {
    outDir: fileURLToPath(new URL('dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
});
