import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpTransport } from './http-transport.js';
import { RunArtifactsApi } from './run-artifacts-api.js';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const requests: IncomingMessage[] = [];
  server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { api: new RunArtifactsApi(new HttpTransport({ trackingUri: url, maxRetries: 0 })), url, requests };
}

describe('RunArtifactsApi', () => {
  it('lists a folder through every page, folders first', async () => {
    const { api, requests } = await serve((req, res) => {
      const page = new URL(req.url!, 'http://x').searchParams.get('page_token');
      const body =
        page === null
          ? { files: [{ path: 'b.txt', is_dir: false, file_size: '3' }], next_page_token: 'p2' }
          : { files: [{ path: 'a', is_dir: true }] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    expect(await api.list('r1', 'dir')).toEqual([
      { path: 'a', isDir: true },
      { path: 'b.txt', isDir: false, fileSize: 3 },
    ]);
    expect(requests.map((req) => req.url)).toEqual([
      '/api/2.0/mlflow/artifacts/list?run_id=r1&path=dir',
      '/api/2.0/mlflow/artifacts/list?run_id=r1&path=dir&page_token=p2',
    ]);
  });

  it('reads the first bytes with a Range, and never more even when the server sends everything', async () => {
    const whole = Buffer.alloc(100_000, 'x');
    const { api, requests } = await serve((req, res) => {
      if (req.url!.includes('empty')) {
        res.writeHead(416, { 'content-range': 'bytes */0', 'content-length': 0 }).end();
      } else if (req.url!.includes('partial')) {
        res
          .writeHead(206, { 'content-type': 'text/plain', 'content-range': 'bytes 0-9/100000' })
          .end(whole.subarray(0, 10));
      } else if (req.url!.includes('sized')) {
        res.writeHead(200, { 'content-type': 'text/csv', 'content-length': whole.byteLength }).end(whole);
      } else res.writeHead(200, { 'content-type': 'text/csv' }).end(whole);
    });
    const partial = await api.head('r1', 'partial.txt', 10);
    expect(requests[0]!.headers.range).toBe('bytes=0-9');
    expect(requests[0]!.url).toBe('/get-artifact?run_id=r1&path=partial.txt');
    expect(partial).toMatchObject({ size: 100_000, truncated: true, contentType: 'text/plain' });
    expect(partial.bytes.byteLength).toBe(10);
    const ignored = await api.head('r1', 'sized.csv', 1000);
    expect(ignored.bytes.byteLength).toBe(1000);
    expect(ignored).toMatchObject({ size: 100_000, truncated: true });
    const unsized = await api.head('r1', 'chunked.csv', 1000);
    expect(unsized.bytes.byteLength).toBe(1000);
    expect(unsized).toMatchObject({ size: undefined, truncated: true });
    expect(await api.head('r1', 'empty.txt', 10)).toMatchObject({ size: 0, truncated: false });
    const small = await api.head('r1', 'chunked.csv', 200_000);
    expect(small).toMatchObject({ size: 100_000, truncated: false });
  });

  it('builds a same-origin download address', async () => {
    const { api, url } = await serve((_req, res) => res.end());
    expect(api.downloadUrl('r1', 'a b/c.png')).toBe(`${url}/get-artifact?run_id=r1&path=a+b%2Fc.png`);
  });
});
