import type { IncomingMessage } from 'node:http';
import { MAX_REQUEST_BYTES } from './gateway-responses';

/** Reads the whole body, keeping at most the limit: the rest is drained so the client still gets our 413. */
export function readBody(req: IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), tooLarge: size > MAX_REQUEST_BYTES }));
    req.on('error', reject);
  });
}
