// The build a benchmark of the CLI needs: tsc into out/ (a failure is tolerated while an earlier
// out/ exists) and the sm-ssh bundles in dist/. Exits the process when the bundle cannot be built.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export function buildCliForBenchmark(root) {
  const build = spawnSync('npx', ['tsc', '-p', '.'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0 && !existsSync(path.join(root, 'out/src/cli/smSsh.js'))) process.exit(1);
  const bundle = spawnSync(
    'npx',
    ['webpack', '--mode', 'production', '--config-name', 'cli', '--config-name', 'cli-loader'],
    { cwd: root, stdio: 'inherit' },
  );
  if (bundle.status !== 0) process.exit(1);
}
