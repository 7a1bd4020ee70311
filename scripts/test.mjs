#!/usr/bin/env node
// `npm test`: every check CI runs, in order, with timings. Stops at the first failure so the
// cause is the last thing printed, and ends with one "tests: N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const reportsDir = 'test-results';
rmSync(reportsDir, { recursive: true, force: true });
mkdirSync(reportsDir, { recursive: true });

const steps = [
  ['typecheck', ['npm', 'run', '--silent', 'typecheck']],
  ['lint', ['npm', 'run', '--silent', 'lint']],
  ['build (electron-vite: main, preload, renderer)', ['npx', 'electron-vite', 'build', '--logLevel', 'warn']],
  [
    'unit + integration',
    ['npx', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportsDir}/unit.json`],
  ],
  [
    'end-to-end (Chromium)',
    [
      'npx',
      'vitest',
      'run',
      '--config',
      'test/e2e/vitest.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${reportsDir}/e2e.json`,
    ],
  ],
  ['security (electronegativity)', ['npm', 'run', '--silent', 'security']],
];

const timings = [];
let failed = null;
for (const [name, [command, ...args]] of steps) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  timings.push([name, (Date.now() - started) / 1000, result.status === 0]);
  if (result.status !== 0) {
    failed = name;
    break;
  }
}

let passed = 0;
let failedTests = 0;
let skipped = 0;
for (const file of ['unit.json', 'e2e.json']) {
  const path = `${reportsDir}/${file}`;
  if (!existsSync(path)) continue;
  const report = JSON.parse(readFileSync(path, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failedTests += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}

process.stdout.write('\n=== summary ===\n');
for (const [name, seconds, ok] of timings)
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${seconds.toFixed(1).padStart(6)} s  ${name}\n`);
if (failed) process.stdout.write(`\nStopped at: ${failed}\n`);
process.stdout.write(`tests: ${passed} passed, ${failedTests} failed, ${skipped} skipped\n`);
process.exit(failed ? 1 : 0);
