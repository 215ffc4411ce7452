/** The web app: client/app built into client/dist, which the API server serves on its own port. */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  // Relative to this file, whatever the working directory.
  root: fileURLToPath(new URL('./client/app', import.meta.url)),
  plugins: [react()],
  // The editor (CodeMirror with its JavaScript and Python grammars) is one lazily loaded chunk of ~540 kB.
  build: { outDir: '../dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
  logLevel: 'warn',
});
