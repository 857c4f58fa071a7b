// Transpiles the relay, the libs and every test tier with SWC (decorator metadata on); type checking
// is `npm run typecheck`. A clean dist/ each time keeps deleted sources from lingering.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const swcCli = require.resolve('@swc/cli/bin/swc.js');
const sources = ['apps/relay/src', 'libs', 'test', 'e2e', 'bench'];
// `--out DIR` lets parallel work build into its own folder (it must stay inside the repository so
// compiled files still resolve node_modules).
const outFlag = process.argv.indexOf('--out');
const outDir = outFlag > 0 ? process.argv[outFlag + 1] : 'dist';

rmSync(outDir, { recursive: true, force: true });
execFileSync(process.execPath, [swcCli, ...sources, '-d', outDir, '--config-file', '.swcrc', '--quiet'], {
  stdio: 'inherit',
});
