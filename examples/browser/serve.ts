/**
 * Builds the browser example and serves it on 127.0.0.1 (never on other interfaces):
 *
 *   npx tsx examples/browser/serve.ts              # http://127.0.0.1:8080/
 *   npx tsx examples/browser/serve.ts --port 0     # any free port; the address is printed
 *
 * Open the printed address, press Start, watch the samples find the ring's modes, Stop, Save,
 * reload the page, and Reload to get the saved networks back.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { buildPage } from './build';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  // instantiateStreaming needs this type to compile the backend while it downloads.
  '.wasm': 'application/wasm',
};

/** Serves the files of `dir` on 127.0.0.1:`port` (0 for any free port); resolves to the URL. */
export async function serveFolder(dir: string, port = 0): Promise<{ server: Server; url: string }> {
  const rootDir = resolve(dir);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = normalize(join(rootDir, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(rootDir + sep)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        const type = TYPES[extname(file)] ?? 'application/octet-stream';
        response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
      },
      () => response.writeHead(404, { 'content-type': 'text/plain' }).end('not found'),
    );
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', done);
  });
  const { port: bound } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${bound}/` };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`--port must be an integer from 0 to 65535, got '${values.port}'.`);
  }
  const dir = await buildPage();
  const { url } = await serveFolder(dir, port);
  process.stderr.write(`Serving ${dir} at ${url} (Ctrl-C stops)\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
