import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into dist/ and served by the queue server at /hall, /counter/{n}, /clerk, /pad/{n}, /manager.
export default defineConfig({
  plugins: [react()],
  base: '/screens/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
});
