import { execFileSync } from 'node:child_process';

/** Builds the renderer once, exactly as `npm run start:web` serves it. */
export default function setup(): void {
  execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
}
