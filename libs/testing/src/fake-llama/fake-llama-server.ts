// A stand-in for llama.cpp's llama-server: listens on LLAMA_PORT, answers /health 503 while it
// "loads the model" and 200 after, and serves OpenAI-compatible chat (streaming included). Faults
// for lifecycle tests: exit while loading, never get ready, crash while serving, ignore SIGTERM.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';

export interface FakeLlamaOptions {
  port: number;
  host: string;
  /** Model id it reports. */
  model: string;
  /** /health answers 503 this long after start. */
  loadMs: number;
  /** Exit with code 3 this long after start (before being ready when < loadMs). 0 = never. */
  exitAfterMs: number;
  /** Never become ready (health stays 503). */
  neverReady: boolean;
  /** Exit with code 1 when a request for chat arrives (a crash while serving). */
  crashOnRequest: boolean;
  /** Each answer takes this long (non-stream) or sends chunks this far apart (stream). */
  delayMs: number;
  /** Ignore SIGTERM (to test the SIGKILL escalation). */
  ignoreSigterm: boolean;
}

interface ChatMessage {
  role?: string;
  content?: unknown;
}

function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  const users = (messages as ChatMessage[]).filter((message) => message?.role === 'user');
  const content = users.at(-1)?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : ''))
      .join('');
  }
  return '';
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Starts the stand-in; resolves once it listens. */
export function startFakeLlamaServer(options: FakeLlamaOptions): Promise<Server> {
  const startedAt = Date.now();
  const ready = (): boolean => !options.neverReady && Date.now() - startedAt >= options.loadMs;
  let served = 0;
  const log = (line: string): void => {
    process.stdout.write(`${new Date().toISOString()} fake-llama pid=${process.pid} ${line}\n`);
  };

  const server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? '/').split('?', 1)[0];
      if (request.method === 'GET' && path === '/health') {
        if (!ready())
          return json(response, 503, {
            error: { code: 503, message: 'Loading model', type: 'unavailable_error' },
          });
        return json(response, 200, { status: 'ok' });
      }
      if (!ready())
        return json(response, 503, {
          error: { code: 503, message: 'Loading model', type: 'unavailable_error' },
        });
      if (request.method === 'GET' && (path === '/v1/models' || path === '/models')) {
        return json(response, 200, {
          object: 'list',
          data: [{ id: options.model, object: 'model', owned_by: 'llamacpp' }],
        });
      }
      if (request.method === 'POST' && (path === '/v1/chat/completions' || path === '/chat/completions')) {
        const text = await readBody(request);
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          return json(response, 400, {
            error: { code: 400, message: 'invalid JSON', type: 'invalid_request_error' },
          });
        }
        served++;
        log(`request ${served} POST ${path} stream=${body.stream === true}`);
        if (options.crashOnRequest) {
          log('crashing (crash-on-request)');
          process.exit(1);
        }
        return chat(response, body);
      }
      json(response, 404, { error: { code: 404, message: 'File Not Found', type: 'not_found_error' } });
    })().catch((error: unknown) => {
      log(`handler failed: ${String(error)}`);
      if (!response.headersSent)
        json(response, 500, { error: { code: 500, message: 'internal', type: 'server_error' } });
    });
  });

  async function chat(response: ServerResponse, body: Record<string, unknown>): Promise<void> {
    const reply = `Echo: ${lastUserText(body.messages)}`;
    const id = `chatcmpl-${process.pid}-${served}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = {
      prompt_tokens: 5,
      completion_tokens: reply.split(' ').length,
      total_tokens: 5 + reply.split(' ').length,
    };
    const fingerprint = `pid-${process.pid}-port-${options.port}`;
    if (body.stream !== true) {
      await sleep(options.delayMs);
      return json(response, 200, {
        id,
        object: 'chat.completion',
        created,
        model: options.model,
        system_fingerprint: fingerprint,
        choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
        usage,
        // what this server received, for tests of what the relay sent
        received: body,
      });
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (data: unknown): void => {
      response.write(`data: ${JSON.stringify(data)}\n\n`);
    };
    const chunk = (delta: object, finish: string | null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model: options.model,
      system_fingerprint: fingerprint,
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    send(chunk({ role: 'assistant', content: '' }, null));
    for (const word of reply.split(/(?<= )/)) {
      if (options.delayMs > 0) await sleep(options.delayMs);
      send(chunk({ content: word }, null));
    }
    send(chunk({}, 'stop'));
    const streamOptions = body.stream_options as { include_usage?: unknown } | undefined;
    if (streamOptions?.include_usage === true) {
      send({ id, object: 'chat.completion.chunk', created, model: options.model, choices: [], usage });
    }
    response.end('data: [DONE]\n\n');
  }

  if (options.exitAfterMs > 0) {
    setTimeout(() => {
      log(`exiting after ${options.exitAfterMs} ms (exit-after-ms)`);
      process.exit(3);
    }, options.exitAfterMs);
  }
  process.on('SIGTERM', () => {
    if (options.ignoreSigterm) {
      log('SIGTERM ignored');
      return;
    }
    log('SIGTERM: shutting down');
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      log(
        `listening on ${options.host}:${options.port}, loading model ${options.model} (${options.loadMs} ms)`,
      );
      resolve(server);
    });
  });
}
