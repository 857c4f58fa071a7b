// The fake llama-server as a program, for the relay's lifecycle to start:
//   LLAMA_PORT=8081 node fake-llama-server.main.js [--model M] [--load-ms N] [--exit-after-ms N]
//       [--never-ready] [--crash-on-request] [--delay-ms N] [--ignore-sigterm] [--host H]
// --port N wins over LLAMA_PORT. Exits 2 on bad arguments or when the port is taken.
import { type FakeLlamaOptions, startFakeLlamaServer } from './fake-llama/fake-llama-server';

function parseArgs(argv: string[]): FakeLlamaOptions {
  const options: FakeLlamaOptions = {
    port: Number(process.env.LLAMA_PORT ?? 0),
    host: '127.0.0.1',
    model: 'fake-llama',
    loadMs: 0,
    exitAfterMs: 0,
    neverReady: false,
    crashOnRequest: false,
    delayMs: 0,
    ignoreSigterm: false,
  };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const value = (): string => {
      const next = argv[++index];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--port':
        options.port = Number(value());
        break;
      case '--host':
        options.host = value();
        break;
      case '--model':
        options.model = value();
        break;
      case '--load-ms':
        options.loadMs = Number(value());
        break;
      case '--exit-after-ms':
        options.exitAfterMs = Number(value());
        break;
      case '--delay-ms':
        options.delayMs = Number(value());
        break;
      case '--never-ready':
        options.neverReady = true;
        break;
      case '--crash-on-request':
        options.crashOnRequest = true;
        break;
      case '--ignore-sigterm':
        options.ignoreSigterm = true;
        break;
      default:
        throw new Error(`unknown argument ${flag}`);
    }
  }
  if (!Number.isInteger(options.port) || options.port <= 0) throw new Error('set LLAMA_PORT or --port');
  return options;
}

let options: FakeLlamaOptions;
try {
  options = parseArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`fake-llama-server: ${(error as Error).message}\n`);
  process.exit(2);
}
startFakeLlamaServer(options).catch((error: unknown) => {
  process.stderr.write(`fake-llama-server: cannot listen: ${String(error)}\n`);
  process.exit(2);
});
