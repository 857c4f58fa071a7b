import busboy from 'busboy';

interface FilePart {
  field: string;
  filename: string;
  mimeType: string;
  data: Buffer;
}

export interface MultipartBody {
  fields: Map<string, string>;
  files: FilePart[];
}

/** Parses a buffered multipart/form-data body (audio uploads) into fields and files. */
export function parseMultipart(raw: Buffer, contentType: string): Promise<MultipartBody> {
  return new Promise((resolve, reject) => {
    const parsed: MultipartBody = { fields: new Map(), files: [] };
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType } });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    parser.on('field', (name, value) => parsed.fields.set(name, value));
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () =>
        parsed.files.push({
          field,
          filename: info.filename ?? 'upload',
          mimeType: info.mimeType,
          data: Buffer.concat(chunks),
        }),
      );
    });
    parser.once('close', () => resolve(parsed));
    parser.once('error', reject);
    parser.end(raw);
  });
}

/** Re-encodes a multipart body with one field replaced; returns the bytes and the new content type. */
export async function encodeMultipart(
  body: MultipartBody,
  overrides: Record<string, string>,
): Promise<{ payload: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [name, value] of body.fields) form.append(name, overrides[name] ?? value);
  for (const [name, value] of Object.entries(overrides)) if (!body.fields.has(name)) form.append(name, value);
  for (const file of body.files) {
    form.append(file.field, new Blob([new Uint8Array(file.data)], { type: file.mimeType }), file.filename);
  }
  const encoded = new Response(form);
  return {
    payload: Buffer.from(await encoded.arrayBuffer()),
    contentType: encoded.headers.get('content-type') ?? 'multipart/form-data',
  };
}
