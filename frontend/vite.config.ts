import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vitest/config';

// The Go binary embeds dist/ (frontend/embed.go); dist/.gitkeep is committed so that a fresh clone without a
// build still compiles. Vite empties dist/ before each build, so put the placeholder back afterwards.
function keepPlaceholder(): Plugin {
  return {
    name: 'rollcall-keep-dist-placeholder',
    apply: 'build',
    closeBundle() {
      const dist = resolve(import.meta.dirname, 'dist');
      if (!existsSync(dist)) mkdirSync(dist, { recursive: true });
      writeFileSync(resolve(dist, '.gitkeep'), '');
    },
  };
}

// `npm run dev` serves the app at http://localhost:5173/admin/ and forwards the API to a running server
// (ROLLCALL_URL, default http://127.0.0.1:8080). The server accepts loopback redirect URIs on any port
// while its public URL is plain http.
const backend = process.env.ROLLCALL_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/admin/',
  plugins: [react(), keepPlaceholder()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      onwarn(warning, warn) {
        // GraphiQL's react-compiler-runtime starts with "use no memo"; bundling drops it harmlessly.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: Object.fromEntries(
      ['/graphql', '/admin/api', '/.well-known', '/oauth', '/login', '/docs', '/ims'].map((p) => [p, { target: backend, changeOrigin: false }]),
    ),
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    testTimeout: 20000,
  },
});
