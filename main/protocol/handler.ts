// The app:// protocol handler: serves the renderer build read-only, with the
// security headers on every response (errors included).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { securityHeaders } from './headers';
import { mimeTypeFor } from './mime';
import { isInside } from '../app/containment';
import { resolveAppRequest } from './resolve';

export type AppProtocolHandler = (request: Request) => Promise<Response>;

export function createAppProtocolHandler(rendererDir: string): AppProtocolHandler {
  const root = path.resolve(rendererDir);

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const target = resolveAppRequest(root, request.url);
    if (target.kind === 'forbidden') return plain(403, 'Forbidden');

    try {
      // A symlink inside the build must not lead outside it either.
      const realFile = await fs.realpath(target.filePath);
      if (!isInside(await fs.realpath(root), realFile)) return plain(403, 'Forbidden');
      const stat = await fs.stat(realFile);
      if (!stat.isFile()) return plain(404, 'Not found');
      const body = request.method === 'HEAD' ? null : new Uint8Array(await fs.readFile(realFile));
      return new Response(body, {
        status: 200,
        headers: { ...securityHeaders(), 'Content-Type': mimeTypeFor(realFile), 'Content-Length': String(stat.size) },
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return plain(404, 'Not found');
      return plain(500, 'Cannot read app file');
    }
  };
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' },
  });
}
