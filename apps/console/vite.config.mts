/// <reference types="vite/client" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the persistence app's read API under /console (same origin: no CORS); `npx nx build console`.
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  cacheDir: '../../node_modules/.vite/apps/console',
  plugins: [react()],
  // recharts alone is ~400 kB minified; one chunk is fine for an operator tool on the LAN.
  build: {
    outDir: '../../dist/apps/console',
    emptyOutDir: true,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1_000,
  },
  server: {
    port: 4200,
    proxy: { '^/(leads|accounts|stats|erasures|dead-letters|me)': 'http://127.0.0.1:3101' },
  },
});
