// Reads a request body: JSON, or multipart form data (file parts are counted, not kept).
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { isRecord } from './text';
import type { BodyKind } from './reply';
import type { RecordedFile } from './types';

/** The body could not be read as the endpoint expects: answer 400 with this message. */
export class UnreadableBody extends Error {}

export function readBody(req: IncomingMessage, kind: BodyKind): Promise<Record<string, unknown> | undefined> {
  switch (kind) {
    case 'json':
      return readJson(req);
    case 'multipart':
      return readMultipart(req);
    case 'none':
      req.resume();
      return Promise.resolve(undefined);
  }
}

function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      ended = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!ended) reject(new Error('request closed before its body was read'));
    });
  });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readRaw(req);
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new UnreadableBody('not JSON');
  }
  if (!isRecord(parsed) || Array.isArray(parsed)) throw new UnreadableBody('not a JSON object');
  return parsed;
}

function readMultipart(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers });
    } catch (error) {
      req.resume();
      reject(new UnreadableBody(error instanceof Error ? error.message : String(error)));
      return;
    }
    const fields: Record<string, unknown> = {};
    // Resolve once the parser is done and every file part has been counted to its end.
    let pending = 1;
    const settleOne = () => {
      pending -= 1;
      if (pending === 0) resolve(fields);
    };
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      const file: RecordedFile = { filename: info.filename ?? '', mimeType: info.mimeType, bytes: 0 };
      fields[name] = file;
      pending += 1;
      stream.on('data', (chunk: Buffer) => {
        file.bytes += chunk.length;
      });
      stream.on('end', settleOne);
    });
    parser.on('close', settleOne);
    parser.on('error', (error) =>
      reject(new UnreadableBody(error instanceof Error ? error.message : String(error))),
    );
    req.on('error', reject);
    req.pipe(parser);
  });
}
