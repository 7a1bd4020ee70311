/**
 * `npm run bench`: runs every benchmark in its own process (so one's heap and page cache do
 * not colour the next) and prints their figures. Benchmarks never pass or fail on time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const BENCHES = ['lookup', 'ingest', 'outbox', 'serve', 'catalog'];

for (const name of BENCHES) {
  const file = `bench/${name}.bench.ts`;
  if (!existsSync(file)) continue;
  console.log(`\n### ${name}\n`);
  const run = spawnSync('npx', ['tsx', file], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`${file} exited with ${run.status}`);
    process.exitCode = 1;
  }
}
