// Builds the console into dist/console/, served by Gatehouse at /console (src/http/console.ts).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [react()],
  // The server's CSP allows no inline script or style: keep every asset a file.
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
  // `npm run console:dev`: the app on Vite's dev server, API calls proxied to a local Gatehouse.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
