import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { runAdminCommand } from './auth/admin-command';
import { createRelayApp } from './bootstrap';
import { ConfigService } from './config/config.service';
import { CliUsageError, parseRuntimeOptions, usage } from './runtime-options';
import { ShutdownState } from './shutdown-state';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage());
    return;
  }
  let app: NestFastifyApplication;
  try {
    const options = parseRuntimeOptions(argv, process.env);
    if (options.adminCommand) process.exit(await runAdminCommand(options));
    app = await createRelayApp(options);
  } catch (error) {
    if (error instanceof CliUsageError) {
      console.error(`${error.message}\n\n${usage()}`);
      process.exit(2);
    }
    console.error(`MonoRelay could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }

  const config = app.get(ConfigService);
  const { host, port } = config.current.server;
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  new Logger('MonoRelay').log(
    `listening on http://${shownHost}:${boundPort} (console at /, API under /v1, docs at /docs)`,
  );
  handleShutdownSignals(app, config);
}

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish up to
 * `relay.shutdown_grace_seconds`, then exit. A second signal exits at once.
 */
function handleShutdownSignals(app: NestFastifyApplication, config: ConfigService): void {
  const logger = new Logger('Shutdown');
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    closing = true;
    app.get(ShutdownState).closing = true;
    const graceSeconds = config.current.relay.shutdown_grace_seconds;
    logger.log(`${signal}: finishing in-flight requests (up to ${graceSeconds}s)`);
    const deadline = setTimeout(() => {
      logger.warn(`in-flight requests did not finish within ${graceSeconds}s: exiting`);
      process.exit(1);
    }, graceSeconds * 1000);
    deadline.unref();
    // Keep-alive sockets that finish their last response while we drain would hold the server open.
    const server: Server = app.getHttpServer();
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    idleSweep.unref();
    app.close().then(
      () => {
        logger.log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(`shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

void main();
