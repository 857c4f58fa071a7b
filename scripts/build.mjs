// Transpiles the relay, the libs and every test tier with SWC (decorator metadata on); type checking
// is `npm run typecheck`. Then builds the Angular console (apps/console) into <out>/console, which
// the relay serves at `/`. A clean dist/ each time keeps deleted sources from lingering.
//   node scripts/build.mjs [--out DIR] [--no-console]
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
const withConsole = !process.argv.includes('--no-console');

rmSync(outDir, { recursive: true, force: true });
execFileSync(process.execPath, [swcCli, ...sources, '-d', outDir, '--config-file', '.swcrc', '--quiet'], {
  stdio: 'inherit',
});

if (withConsole) {
  const started = Date.now();
  const ng = require.resolve('@angular/cli/bin/ng.js');
  execFileSync(
    process.execPath,
    [ng, 'build', 'console', '--output-path', `${outDir}/console`, '--progress=false'],
    // No prompts (analytics, completion) and no colours in logs: CI has no terminal.
    { stdio: 'inherit', env: { ...process.env, NG_CLI_ANALYTICS: 'false', NG_FORCE_TTY: 'false' } },
  );
  console.log(`console built into ${outDir}/console in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
