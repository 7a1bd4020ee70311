import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The renderer is one static bundle: loaded from disk by Electron and served by the browser
// shell. base './' keeps every asset URL relative so both work, and the CSP in index.html
// (script-src/style-src 'self') means nothing may be inlined into the HTML.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [svelte()],
  build: {
    // Relative to root, i.e. <repo>/out/renderer.
    outDir: '../out/renderer',
    emptyOutDir: true,
    // The polyfill would be injected as an inline script, which the CSP forbids.
    modulePreload: { polyfill: false },
    target: 'chrome140',
  },
});
