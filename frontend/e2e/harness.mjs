// The end-to-end harness: builds the Rollcall binary (with the admin app embedded), starts `rollcall serve`
// on a free loopback port with a temporary data directory, a small demo district and fixed admin
// credentials, and drives Debian's Chromium (playwright-core, never a downloaded browser).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const frontendDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(frontendDir, '..');
export const screenshotDir = process.env.ROLLCALL_SCREENSHOTS ?? join(repoRoot, 'artifacts', 'screenshots');

export const ADMIN = { username: 'e2e_admin', password: 'e2e correct horse battery staple' };

const CHROMIUM_FLAGS = [
  '--no-sandbox', // Chromium refuses to run as root with its sandbox
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/**
 * Builds the frontend (unless it is built) and the Go binary, which embeds it; returns the binary's path.
 * ROLLCALL_BIN names an already built binary instead (CI: `make build` first).
 */
export function buildBinary(workDir) {
  if (process.env.ROLLCALL_BIN) return process.env.ROLLCALL_BIN;
  if (!existsSync(join(frontendDir, 'dist', 'index.html'))) {
    const b = spawnSync('npx', ['vite', 'build'], { cwd: frontendDir, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('vite build failed');
  }
  const bin = join(workDir, 'rollcall');
  const r = spawnSync('go', ['build', '-o', bin, '.'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('go build failed');
  return bin;
}

async function waitReady(url, child, logs, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`rollcall serve exited (${child.exitCode}):\n${logs.join('')}`);
    try {
      const r = await fetch(url + '/readyz');
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`rollcall serve was not ready within ${timeoutMs / 1000}s:\n${logs.join('')}`);
}

/** Starts the server; returns { url, stop, logs }. */
export async function startServer({ students = 300 } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'rollcall-e2e-'));
  const bin = buildBinary(work);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = join(work, 'data');
  mkdirSync(dataDir);
  const logs = [];
  const child = spawn(bin, ['serve', '-data-dir', dataDir, '-listen', `127.0.0.1:${port}`, '-demo-students', String(students)], {
    env: {
      ...process.env,
      ROLLCALL_ADMIN_USERNAME: ADMIN.username,
      ROLLCALL_ADMIN_PASSWORD: ADMIN.password,
      ROLLCALL_PUBLIC_URL: url,
      ROLLCALL_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => logs.push(String(d)));
  child.stderr.on('data', (d) => logs.push(String(d)));
  await waitReady(url, child, logs);
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(work, { recursive: true, force: true });
  };
  return { url, stop, logs, dataDir };
}

export function chromiumPath() {
  const p = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(p)) throw new Error(`${p} is missing: run scripts/ensure-frontend.sh (apt-get install chromium)`);
  return p;
}

/** A headless Chromium with a laptop-sized page that records console errors and failed requests. */
export async function launch() {
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_FLAGS });
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US', timezoneId: 'UTC' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => {});
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    const f = r.failure()?.errorText ?? '';
    if (!/ERR_ABORTED/.test(f)) problems.push(`request failed: ${r.url()} ${f}`);
  });
  return { browser, context, page, problems };
}

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const file = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
