import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { generated } from '../contract/blob-store-contract.js';
import { encodePath, MlflowRest, rawRequest } from './artifact-test-client.js';

const proxy = '/api/2.0/mlflow-artifacts/artifacts';

describe('MLflow artifact proxy over HTTP', () => {
  let server: TestServer;
  let rest: MlflowRest;
  let experimentId: string;
  let run: { runId: string; artifactUri: string; root: string };

  beforeAll(async () => {
    server = await startTestServer({ engine: 'sqlite' });
    rest = new MlflowRest(server.url);
    experimentId = await rest.createExperiment('artifacts-it');
    run = await rest.createRun(experimentId);
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('upload and download', () => {
    it('round-trips a text file with its content type, as an attachment', async () => {
      const put = await rest.upload(`${run.root}/notes/hello.txt`, 'hello, artifacts\n', 'text/plain');
      expect(put).toEqual({ status: 200, body: {} });
      const got = await rest.download(`${run.root}/notes/hello.txt`);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(got.headers.get('content-disposition')).toContain('attachment; filename="hello.txt"');
      expect(got.headers.get('content-length')).toBe('17');
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await got.text()).toBe('hello, artifacts\n');
    });

    it('stores a body of any media type raw, JSON included, and an empty body as an empty file', async () => {
      const json = '{"not": "parsed", "n": 1}';
      expect((await rest.upload(`${run.root}/data.json`, json, 'application/json')).status).toBe(200);
      expect(await (await rest.download(`${run.root}/data.json`)).text()).toBe(json);
      // The Python client sends a file body with Content-Length and no Content-Type.
      const bare = await rawRequest(server.url, 'PUT', `${proxy}/${run.root}/bare.bin`, {
        headers: { 'content-length': '5' },
        body: Readable.from([Buffer.from('bytes')]),
      });
      expect(bare.status).toBe(200);
      expect(await (await rest.download(`${run.root}/bare.bin`)).text()).toBe('bytes');
      const empty = await rawRequest(server.url, 'PUT', `${proxy}/${run.root}/empty.txt`);
      expect(empty.status).toBe(200);
      const got = await rest.download(`${run.root}/empty.txt`);
      expect(got.status).toBe(200);
      expect(await got.text()).toBe('');
    });

    it('keeps names with spaces and unicode', async () => {
      const path = `${run.root}/odd dir/ünïcødé name.csv`;
      expect((await rest.upload(path, 'a,b\n1,2\n')).status).toBe(200);
      const got = await rest.download(path);
      expect(await got.text()).toBe('a,b\n1,2\n');
      expect(got.headers.get('content-disposition')).toContain(
        "filename*=UTF-8''%C3%BCn%C3%AFc%C3%B8d%C3%A9%20name.csv",
      );
    });

    it('streams a 32 MiB binary up (chunked) and down intact', async () => {
      const size = 32 * 1024 * 1024;
      const sent = generated(size, 42);
      const put = await rawRequest(server.url, 'PUT', `${proxy}/${run.root}/big/blob.bin`, {
        headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
        body: sent.stream,
      });
      expect(put.status).toBe(200);
      const got = await rest.download(`${run.root}/big/blob.bin`);
      expect(got.headers.get('content-type')).toBe('application/octet-stream');
      expect(got.headers.get('content-length')).toBe(String(size));
      const hash = createHash('sha256');
      let received = 0;
      for await (const chunk of got.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        received += chunk.length;
      }
      expect(received).toBe(size);
      expect(hash.digest('hex')).toBe(sent.digest());
    });

    it('serves the same proxy under /ajax-api/2.0', async () => {
      const put = await fetch(`${server.url}/ajax-api/2.0/mlflow-artifacts/artifacts/${run.root}/ajax.txt`, {
        method: 'PUT',
        body: 'via ajax',
      });
      expect(put.status).toBe(200);
      expect(await (await rest.download(`${run.root}/ajax.txt`)).text()).toBe('via ajax');
      const got = await fetch(`${server.url}/ajax-api/2.0/mlflow-artifacts/artifacts/${run.root}/ajax.txt`);
      expect(await got.text()).toBe('via ajax');
    });

    it('answers 400 for an upload below a file or onto a directory, keeping what is there', async () => {
      await rest.upload(`${run.root}/conflict/file.txt`, 'original');
      for (const path of [`${run.root}/conflict/file.txt/below.txt`, `${run.root}/conflict`]) {
        const answer = await rest.upload(path, Buffer.alloc(200_000, 1));
        expect(answer.status, path).toBe(400);
        expect(answer.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      }
      expect(await (await rest.download(`${run.root}/conflict/file.txt`)).text()).toBe('original');
      expect((await rest.listProxy(`${run.root}/conflict`)).body).toEqual({
        files: [{ path: 'file.txt', is_dir: false, file_size: 8 }],
      });
    });

    it('answers 404 RESOURCE_DOES_NOT_EXIST for an absent file or a directory', async () => {
      for (const path of [`${run.root}/absent.txt`, `${run.root}/notes`]) {
        const got = await rest.download(path);
        expect(got.status).toBe(404);
        expect(((await got.json()) as { error_code: string }).error_code).toBe('RESOURCE_DOES_NOT_EXIST');
      }
    });
  });

  describe('Range', () => {
    const digits = '0123456789abcdefghij';
    let path: string;
    beforeAll(async () => {
      path = `${run.root}/range/digits.bin`;
      await rest.upload(path, digits);
    });

    it.each([
      ['bytes=2-5', 'bytes 2-5/20', '2345'],
      ['bytes=15-', 'bytes 15-19/20', 'fghij'],
      ['bytes=-3', 'bytes 17-19/20', 'hij'],
      ['bytes=18-1000', 'bytes 18-19/20', 'ij'],
    ])('%s answers 206 with %s', async (range, contentRange, body) => {
      const got = await rest.download(path, { range });
      expect(got.status).toBe(206);
      expect(got.headers.get('content-range')).toBe(contentRange);
      expect(got.headers.get('content-length')).toBe(String(body.length));
      expect(await got.text()).toBe(body);
    });

    it('answers 416 with the size for a range past the end', async () => {
      const got = await rest.download(path, { range: 'bytes=20-' });
      expect(got.status).toBe(416);
      expect(got.headers.get('content-range')).toBe('bytes */20');
    });

    it('sends the whole file for several ranges or a malformed one', async () => {
      for (const range of ['bytes=0-1,4-5', 'items=0-1', 'bytes=5-2']) {
        const got = await rest.download(path, { range });
        expect(got.status).toBe(200);
        expect(await got.text()).toBe(digits);
      }
    });
  });

  describe('listing', () => {
    let listingRun: { runId: string; artifactUri: string; root: string };
    let root: string;
    beforeAll(async () => {
      listingRun = await rest.createRun(experimentId);
      root = listingRun.root;
      await rest.upload(`${root}/tree/a.txt`, 'a');
      await rest.upload(`${root}/tree/sub/b.bin`, 'bb');
      await rest.upload(`${root}/tree/sub/deep/c.bin`, 'ccc');
      await rest.upload(`${root}/top.txt`, 'top!');
    });

    it('lists one directory level: basenames sorted by name, sizes for files only', async () => {
      expect(await rest.listProxy(root)).toEqual({
        status: 200,
        body: {
          files: [
            { path: 'top.txt', is_dir: false, file_size: 4 },
            { path: 'tree', is_dir: true },
          ],
        },
      });
      expect((await rest.listProxy(`${root}/tree/sub`)).body).toEqual({
        files: [
          { path: 'b.bin', is_dir: false, file_size: 2 },
          { path: 'deep', is_dir: true },
        ],
      });
    });

    it('answers {} for a file path and for an absent directory', async () => {
      expect(await rest.listProxy(`${root}/tree/a.txt`)).toEqual({ status: 200, body: {} });
      expect(await rest.listProxy(`${root}/nothing/here`)).toEqual({ status: 200, body: {} });
    });

    it('artifacts/list gives paths relative to the run root and the root URI', async () => {
      const top = await rest.call('GET', `/api/2.0/mlflow/artifacts/list?run_id=${listingRun.runId}`);
      expect(top).toEqual({
        status: 200,
        body: {
          root_uri: listingRun.artifactUri,
          files: [
            { path: 'top.txt', is_dir: false, file_size: 4 },
            { path: 'tree', is_dir: true },
          ],
        },
      });
      const sub = await rest.call(
        'GET',
        `/api/2.0/mlflow/artifacts/list?run_id=${listingRun.runId}&path=tree/sub`,
      );
      expect(sub.body).toEqual({
        root_uri: listingRun.artifactUri,
        files: [
          { path: 'tree/sub/b.bin', is_dir: false, file_size: 2 },
          { path: 'tree/sub/deep', is_dir: true },
        ],
      });
      const viaAjax = await rest.call(
        'GET',
        `/ajax-api/2.0/mlflow/artifacts/list?run_uuid=${listingRun.runId}&path=tree`,
      );
      expect(viaAjax.body).toMatchObject({ files: [{ path: 'tree/a.txt' }, { path: 'tree/sub' }] });
    });

    it('artifacts/list of a run without artifacts is just the root URI', async () => {
      const empty = await rest.createRun(experimentId);
      expect(await rest.call('GET', `/api/2.0/mlflow/artifacts/list?run_id=${empty.runId}`)).toEqual({
        status: 200,
        body: { root_uri: empty.artifactUri },
      });
    });

    it('artifacts/list answers 404 for an unknown run and 400 without run_id', async () => {
      const unknown = await rest.call(
        'GET',
        '/api/2.0/mlflow/artifacts/list?run_id=0123456789abcdef0123456789abcdef',
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
      const missing = await rest.call('GET', '/api/2.0/mlflow/artifacts/list');
      expect(missing.status).toBe(400);
      expect(missing.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(missing.body.message).toContain("'run_id'");
    });

    it("lists and downloads a logged model's artifacts", async () => {
      const model = await rest.createLoggedModel(experimentId, 'model');
      await rest.upload(`${model.root}/MLmodel`, 'flavors: {}\n');
      await rest.upload(`${model.root}/data/weights.bin`, 'wwww');
      const top = await rest.call(
        'GET',
        `/api/2.0/mlflow/logged-models/${model.modelId}/artifacts/directories`,
      );
      expect(top.body).toEqual({
        root_uri: model.artifactUri,
        files: [
          { path: 'MLmodel', is_dir: false, file_size: 12 },
          { path: 'data', is_dir: true },
        ],
      });
      const data = await rest.call(
        'GET',
        `/api/2.0/mlflow/logged-models/${model.modelId}/artifacts/directories?artifact_directory_path=data`,
      );
      expect(data.body).toMatchObject({ files: [{ path: 'data/weights.bin', is_dir: false, file_size: 4 }] });
      const file = await fetch(
        `${server.url}/ajax-api/2.0/mlflow/logged-models/${model.modelId}/artifacts/files?artifact_file_path=MLmodel`,
      );
      expect(file.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await file.text()).toBe('flavors: {}\n');
      const unknown = await rest.call(
        'GET',
        '/api/2.0/mlflow/logged-models/m-0123456789abcdef0123456789abcdef/artifacts/directories',
      );
      expect(unknown.status).toBe(404);
    });
  });

  describe('get-artifact', () => {
    it('downloads a run file by run id and relative path, at both addresses', async () => {
      await rest.upload(`${run.root}/report/summary.md`, '# Summary');
      for (const base of ['/get-artifact', '/ajax-api/2.0/mlflow/get-artifact']) {
        const got = await fetch(`${server.url}${base}?run_id=${run.runId}&path=report/summary.md`);
        expect(got.status).toBe(200);
        expect(got.headers.get('content-disposition')).toContain('attachment');
        expect(await got.text()).toBe('# Summary');
      }
    });

    it('answers 404 for an unknown run or file, 400 for a missing path or ..', async () => {
      const unknownRun = await rest.call(
        'GET',
        '/get-artifact?run_id=0123456789abcdef0123456789abcdef&path=x',
      );
      expect(unknownRun.status).toBe(404);
      const unknownFile = await rest.call('GET', `/get-artifact?run_id=${run.runId}&path=nope.txt`);
      expect(unknownFile.status).toBe(404);
      expect(unknownFile.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
      const missingPath = await rest.call('GET', `/get-artifact?run_id=${run.runId}`);
      expect(missingPath.status).toBe(400);
      const escape = await rest.call('GET', `/get-artifact?run_id=${run.runId}&path=../../x`);
      expect(escape).toEqual({
        status: 400,
        body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' },
      });
    });
  });

  describe('traversal', () => {
    it('answers 400 "Invalid path" for ../ in a path parameter, changing nothing', async () => {
      const before = readdirSync(server.artifactsDestination);
      for (const query of [
        `${proxy}?path=../../etc`,
        `${proxy}?path=/etc`,
        `/api/2.0/mlflow/artifacts/list?run_id=${run.runId}&path=../..`,
      ]) {
        const answer = await rest.call('GET', query);
        expect(answer).toEqual({
          status: 400,
          body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' },
        });
      }
      const unknownRunDotDot = await rest.call('GET', '/api/2.0/mlflow/artifacts/list?run_id=nope&path=../x');
      expect(unknownRunDotDot.status).toBe(400);
      expect(readdirSync(server.artifactsDestination)).toEqual(before);
    });

    it('answers 404 for .. segments in the URL, plain or percent-encoded, for every method', async () => {
      const escapes = [
        `${proxy}/${run.root}/../../../../../etc/passwd`,
        `${proxy}/../escaped.txt`,
        `${proxy}/${run.root}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/escaped.txt`,
        `${proxy}/%2E%2E/escaped.txt`,
      ];
      for (const target of escapes) {
        for (const method of ['GET', 'DELETE']) {
          const answer = await rawRequest(server.url, method, target);
          expect(answer.status, `${method} ${target}`).toBe(404);
        }
        const put = await rawRequest(server.url, 'PUT', target, {
          headers: { 'content-type': 'text/plain' },
          body: Readable.from([Buffer.from('evil')]),
        });
        expect(put.status, `PUT ${target}`).toBe(404);
      }
      expect(existsSync(join(server.artifactsDestination, '..', 'escaped.txt'))).toBe(false);
      expect(existsSync(join(server.dataDir, 'escaped.txt'))).toBe(false);
    });
  });

  describe('delete', () => {
    it('removes a file, then answers 404 for it', async () => {
      await rest.upload(`${run.root}/gone/one.txt`, '1');
      await rest.upload(`${run.root}/gone/two.txt`, '2');
      const deleted = await rest.call('DELETE', `${proxy}/${encodePath(`${run.root}/gone/one.txt`)}`);
      expect(deleted).toEqual({ status: 200, body: {} });
      expect((await rest.download(`${run.root}/gone/one.txt`)).status).toBe(404);
      expect((await rest.listProxy(`${run.root}/gone`)).body).toEqual({
        files: [{ path: 'two.txt', is_dir: false, file_size: 1 }],
      });
    });

    it('removes a directory with everything below it; absent paths are fine', async () => {
      await rest.upload(`${run.root}/dir/x/1.txt`, '1');
      await rest.upload(`${run.root}/dir/2.txt`, '2');
      expect((await rest.call('DELETE', `${proxy}/${run.root}/dir`)).status).toBe(200);
      expect((await rest.listProxy(`${run.root}/dir`)).body).toEqual({});
      expect((await rest.call('DELETE', `${proxy}/${run.root}/never-was`)).status).toBe(200);
    });
  });
});

describe('artifact upload limit', () => {
  let server: TestServer;
  let rest: MlflowRest;
  let root: string;
  beforeAll(async () => {
    server = await startTestServer({ engine: 'sqlite', config: { maxArtifactBytes: 100_000 } });
    rest = new MlflowRest(server.url);
    root = (await rest.createRun(await rest.createExperiment('limits'))).root;
    await rest.upload(`${root}/kept.bin`, 'the old bytes');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses a declared size over the limit with 413, storing nothing', async () => {
    const answer = await rest.upload(`${root}/kept.bin`, Buffer.alloc(100_001, 1));
    expect(answer.status).toBe(413);
    expect(answer.body.error_code).toBe('PAYLOAD_TOO_LARGE');
    expect(await (await rest.download(`${root}/kept.bin`)).text()).toBe('the old bytes');
  });

  it('stops a chunked upload that grows past the limit with 413, leaving no partial file', async () => {
    const answer = await rawRequest(server.url, 'PUT', `${proxy}/${root}/streamed.bin`, {
      headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
      body: generated(400_000, 3).stream,
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body.toString())).toMatchObject({ error_code: 'PAYLOAD_TOO_LARGE' });
    expect((await rest.download(`${root}/streamed.bin`)).status).toBe(404);
    expect((await rest.listProxy(root)).body).toEqual({
      files: [{ path: 'kept.bin', is_dir: false, file_size: 13 }],
    });
    expect(readdirSync(join(server.artifactsDestination, root))).toEqual(['kept.bin']);
  });

  it('leaves nothing behind when the client disconnects mid-upload', async () => {
    const body = new Readable({ read() {} });
    const answer = rawRequest(server.url, 'PUT', `${proxy}/${root}/aborted.bin`, {
      headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
      body,
    });
    body.push(Buffer.alloc(20_000, 2));
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    body.destroy(new Error('client gave up'));
    expect((await answer).error).toBeDefined();
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    expect((await rest.download(`${root}/aborted.bin`)).status).toBe(404);
    expect(readdirSync(join(server.artifactsDestination, root))).toEqual(['kept.bin']);
  });

  it('accepts an upload exactly at the limit', async () => {
    expect((await rest.upload(`${root}/exact.bin`, Buffer.alloc(100_000, 5))).status).toBe(200);
    const got = await rest.download(`${root}/exact.bin`);
    expect(got.headers.get('content-length')).toBe('100000');
    expect((await got.arrayBuffer()).byteLength).toBe(100_000);
  });
});

describe('artifact routes when serving is off or the location is not proxied', () => {
  it('answers 503 TEMPORARILY_UNAVAILABLE on every artifact route with --no-serve-artifacts', async () => {
    const server = await startTestServer({ engine: 'sqlite', config: { serveArtifacts: false } });
    try {
      const rest = new MlflowRest(server.url);
      const put = await rest.upload('1/x/artifacts/a.txt', 'a');
      expect(put.status).toBe(503);
      expect(put.body.error_code).toBe('TEMPORARILY_UNAVAILABLE');
      expect(put.body.message).toContain('artifacts');
      expect((await rest.download('1/x/artifacts/a.txt')).status).toBe(503);
      expect((await rest.listProxy('')).status).toBe(503);
      expect((await rest.call('GET', '/api/2.0/mlflow/artifacts/list?run_id=x')).status).toBe(503);
      expect(existsSync(join(server.artifactsDestination, '1'))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('refuses to list a run whose artifacts live outside the proxy, saying where they are', async () => {
    const server = await startTestServer({ engine: 'sqlite' });
    try {
      const rest = new MlflowRest(server.url);
      const experimentId = await rest.createExperiment('external', 's3://some-bucket/keel');
      const body = await rest.ok('POST', '/api/2.0/mlflow/runs/create', {
        experiment_id: experimentId,
        start_time: 1,
      });
      const runId = (body.run as { info: { run_id: string } }).info.run_id;
      const answer = await rest.call('GET', `/api/2.0/mlflow/artifacts/list?run_id=${runId}`);
      expect(answer.status).toBe(400);
      expect(answer.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(answer.body.message).toContain('s3://some-bucket/keel');
    } finally {
      await server.close();
    }
  });
});
