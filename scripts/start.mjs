#!/usr/bin/env node
// `npm start`: the desktop app when an Electron binary is installed; otherwise the browser
// shell, with a clear message. Never triggers Electron's lazy binary download.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (electronBinary()) {
  run('npx', ['electron-vite', 'build']);
  spawn('npx', ['electron-vite', 'preview'], { stdio: 'inherit', shell: process.platform === 'win32' }).on(
    'exit',
    (code) => process.exit(code ?? 0),
  );
} else {
  process.stderr.write(
    '\nNo Electron binary is installed on this machine, so the desktop window cannot open.\n' +
      'Starting the browser shell instead: the same app and core, served on 127.0.0.1.\n' +
      'Open the URL printed below in Chromium or any current browser.\n\n',
  );
  run('npm', ['run', '--silent', 'build:renderer']);
  spawn('npx', ['tsx', 'electron/web/main.ts', ...process.argv.slice(2)], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  }).on('exit', (code) => process.exit(code ?? 0));
}
