#!/usr/bin/env node
// Runs Doyensec's electronegativity over the Electron sources and fails on any HIGH or
// MEDIUM finding. Its CSV report is kept in test-results/ for reading.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });
const output = 'test-results/electronegativity.csv';
const run = spawnSync(
  'npx',
  [
    'electronegativity',
    '--input',
    'electron',
    '--output',
    output,
    '--electron-version',
    '45.5.0',
    '--severity',
    'informational',
  ],
  { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
);
if (run.status !== 0) {
  process.stdout.write(run.stdout);
  process.exit(run.status ?? 1);
}
const rows = readFileSync(output, 'utf8').trim().split('\n').slice(1).filter(Boolean);
const blocking = rows.filter((row) => /,(HIGH|MEDIUM),/i.test(row));
process.stdout.write(`electronegativity: ${rows.length} findings, ${blocking.length} high or medium\n`);
for (const row of rows) process.stdout.write(`  ${row}\n`);
process.exit(blocking.length === 0 ? 0 : 1);
