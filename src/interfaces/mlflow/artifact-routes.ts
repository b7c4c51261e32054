import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TObject } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PassThrough, Readable } from 'node:stream';
import type { Caller } from '../../core/auth/index.js';
import { checkBlobKeyLength, toBlobKey } from '../../core/blob/index.js';
import { isKeelError, KeelError } from '../../core/errors.js';
import type {
  ArtifactDownload,
  ArtifactFile,
  ArtifactService,
  ByteRange,
} from '../../services/artifacts/index.js';
import type { MlflowApp } from './mlflow-app.js';
import { EmptyJson } from './proto-json.js';
import { parseMessage } from './request-parsing.js';
import { RequiredText, RunIdFields, runIdOf } from './request-schemas.js';

export interface MlflowArtifactRoutesOptions {
  artifacts: ArtifactService;
  /** When false every artifact route answers `503 TEMPORARILY_UNAVAILABLE`. */
  serveArtifacts: boolean;
}

const apiPrefixes = ['/api/2.0', '/ajax-api/2.0'] as const;

const FileInfoJson = Type.Object({
  path: Type.String(),
  is_dir: Type.Boolean(),
  file_size: Type.Optional(Type.Number()),
});
const ProxyListing = Type.Object({ files: Type.Optional(Type.Array(FileInfoJson)) });
const RootedListing = Type.Object({
  root_uri: Type.Optional(Type.String()),
  files: Type.Optional(Type.Array(FileInfoJson)),
  next_page_token: Type.Optional(Type.String()),
});

/**
 * MLflow's artifact endpoints as a Fastify plugin, under `/api/2.0/` and `/ajax-api/2.0/`:
 * the proxy (`PUT|GET|DELETE mlflow-artifacts/artifacts/<path>`, `GET mlflow-artifacts/artifacts?path=`),
 * `mlflow/artifacts/list`, `mlflow/logged-models/{id}/artifacts/directories|files` and the UI's
 * `/get-artifact`. Uploads stream the raw body of any media type straight to the blob store (the
 * JSON body limit does not apply; the artifact service has its own); downloads stream with a guessed
 * content type, as attachments, and honour a single `Range`.
 *
 * Paths: `?path=../x` is `400 INVALID_PARAMETER_VALUE "Invalid path"`; a URL whose path escapes
 * (`.../artifacts/../x`) names no artifact: `404`.
 */
export async function mlflowArtifactRoutes(
  instance: FastifyInstance,
  options: MlflowArtifactRoutesOptions,
): Promise<void> {
  const app: MlflowApp = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { artifacts } = options;

  app.setValidatorCompiler(({ schema }) => (data: unknown) => {
    try {
      return { value: parseMessage(schema as TObject, data, 'query') };
    } catch (error) {
      return { error: error as Error };
    }
  });
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // Artifact bodies are bytes of any media type: hand the raw stream to the handler, unparsed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  if (!options.serveArtifacts) {
    app.addHook('onRequest', async (_request, reply) => {
      void reply.header('connection', 'close');
      throw new KeelError(
        'TEMPORARILY_UNAVAILABLE',
        'This server does not serve artifacts (started with --no-serve-artifacts); use a server that does',
      );
    });
  }

  for (const api of apiPrefixes) {
    const proxy = `${api}/mlflow-artifacts/artifacts`;

    app.put(`${proxy}/*`, { schema: { response: { 200: EmptyJson } } }, async (request, reply) => {
      const path = fileFromUrl(wildcard(request));
      const declared = Number(request.headers['content-length']);
      const body = request.body instanceof Readable ? detached(request.body) : Readable.from([]);
      try {
        await artifacts.upload(
          request.caller,
          path,
          body,
          Number.isSafeInteger(declared) ? declared : undefined,
        );
      } catch (error) {
        // The client may still be sending: close once answered rather than read the rest.
        if (!request.raw.readableEnded) void reply.header('connection', 'close');
        throw error;
      }
      return {};
    });

    const listProxy = async (caller: Caller, query: { path?: string }) =>
      filesField(await artifacts.list(caller, query.path));
    const ProxyListQuery = Type.Object({ path: Type.Optional(Type.String()) });
    app.get(
      proxy,
      { schema: { querystring: ProxyListQuery, response: { 200: ProxyListing } } },
      async (request) => listProxy(request.caller, request.query),
    );

    app.get(`${proxy}/*`, { schema: { querystring: ProxyListQuery } }, async (request, reply) => {
      const raw = wildcard(request);
      if (raw === '' || raw === '/')
        return reply
          .type('application/json; charset=utf-8')
          .send(JSON.stringify(await listProxy(request.caller, request.query)));
      return sendDownload(
        request,
        reply,
        await artifacts.download(request.caller, fileFromUrl(raw), requestedRange(request)),
      );
    });

    app.delete(`${proxy}/*`, { schema: { response: { 200: EmptyJson } } }, async (request) => {
      await artifacts.delete(request.caller, fileFromUrl(wildcard(request)));
      return {};
    });

    app.get(
      `${api}/mlflow/artifacts/list`,
      {
        schema: {
          querystring: Type.Object({
            ...RunIdFields,
            path: Type.Optional(Type.String()),
            page_token: Type.Optional(Type.String()),
          }),
          response: { 200: RootedListing },
        },
      },
      async (request) => {
        const { path } = request.query;
        // MLflow checks the path before it looks the run up.
        if (path !== undefined) toBlobKey(path);
        const listing = await artifacts.listRunArtifacts(request.caller, runIdOf(request.query), path);
        return { root_uri: listing.rootUri, ...filesField(listing.files) };
      },
    );

    app.get(
      `${api}/mlflow/logged-models/:model_id/artifacts/directories`,
      {
        schema: {
          params: Type.Object({ model_id: RequiredText }),
          querystring: Type.Object({
            artifact_directory_path: Type.Optional(Type.String()),
            page_token: Type.Optional(Type.String()),
          }),
          response: { 200: RootedListing },
        },
      },
      async (request) => {
        const listing = await artifacts.listLoggedModelArtifacts(
          request.caller,
          request.params.model_id,
          request.query.artifact_directory_path,
        );
        return { root_uri: listing.rootUri, ...filesField(listing.files) };
      },
    );

    app.get(
      `${api}/mlflow/logged-models/:model_id/artifacts/files`,
      {
        schema: {
          params: Type.Object({ model_id: RequiredText }),
          querystring: Type.Object({ artifact_file_path: RequiredText }),
        },
      },
      async (request, reply) => {
        const download = await artifacts.openLoggedModelArtifact(
          request.caller,
          request.params.model_id,
          request.query.artifact_file_path,
          requestedRange(request),
        );
        return sendDownload(request, reply, download);
      },
    );
  }

  const GetArtifactQuery = Type.Object({ ...RunIdFields, path: RequiredText });
  for (const url of ['/get-artifact', '/ajax-api/2.0/mlflow/get-artifact']) {
    app.get(url, { schema: { querystring: GetArtifactQuery } }, async (request, reply) => {
      const download = await artifacts.openRunArtifact(
        request.caller,
        runIdOf(request.query),
        request.query.path,
        requestedRange(request),
      );
      return sendDownload(request, reply, download);
    });
  }
}

function wildcard(request: FastifyRequest): string {
  return (request.params as Record<string, string | undefined>)['*'] ?? '';
}

/** A path from the URL: one that escapes the artifact root names nothing there (404, as MLflow). */
function fileFromUrl(raw: string): string {
  // Too long is a 400 with the reason (the file system could not hold it), not "nothing there".
  checkBlobKeyLength(raw);
  try {
    return toBlobKey(raw);
  } catch (error) {
    if (isKeelError(error) && error.code === 'INVALID_PARAMETER_VALUE') {
      throw new KeelError('RESOURCE_DOES_NOT_EXIST', 'No artifact at this path');
    }
    throw error;
  }
}

/** MLflow's listing fields: `path`, `is_dir`, and `file_size` for files; an empty list is omitted. */
function filesField(files: ArtifactFile[]): {
  files?: { path: string; is_dir: boolean; file_size?: number }[];
} {
  if (files.length === 0) return {};
  return {
    files: files.map((file) =>
      file.fileSize === undefined
        ? { path: file.path, is_dir: file.isDir }
        : { path: file.path, is_dir: file.isDir, file_size: file.fileSize },
    ),
  };
}

/**
 * The upload stream the service may destroy without destroying the request: when the service
 * stops early (too large), the connection can still carry the error answer.
 */
function detached(source: Readable): Readable {
  const copy = new PassThrough();
  source.on('error', (error) => copy.destroy(error));
  source.on('close', () => {
    if (!source.readableEnded) copy.destroy(new Error('The upload was interrupted before its end'));
  });
  source.pipe(copy);
  return copy;
}

/**
 * One `bytes=` range of the `Range` header. Anything else (several ranges, other units, bad syntax,
 * an `If-Range` we cannot check) is ignored and the whole file is sent, as RFC 9110 allows.
 */
function requestedRange(request: FastifyRequest): ByteRange | undefined {
  const header = request.headers.range;
  if (typeof header !== 'string' || request.headers['if-range'] !== undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return undefined;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return undefined;
  if (from === '') return { suffix: Number(to) };
  const start = Number(from);
  if (!Number.isSafeInteger(start)) return undefined;
  if (to === '') return { start };
  const end = Number(to);
  if (!Number.isSafeInteger(end) || end < start) return undefined;
  return { start, end };
}

function sendDownload(
  request: FastifyRequest,
  reply: FastifyReply,
  download: ArtifactDownload,
): FastifyReply {
  void reply
    .header('content-type', download.contentType)
    .header('content-disposition', attachment(download.fileName))
    .header('accept-ranges', 'bytes')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox");
  if (download.kind === 'unsatisfiable') {
    return reply
      .status(416)
      .header('content-range', `bytes */${download.size}`)
      .header('content-length', 0)
      .send();
  }
  // HEAD: the headers only; do not read the file (Fastify would drain a stream to nowhere).
  let body = download.body;
  if (request.method === 'HEAD') {
    body.destroy();
    body = Readable.from([]);
  }
  if (download.kind === 'partial') {
    return reply
      .status(206)
      .header('content-range', `bytes ${download.start}-${download.end}/${download.size}`)
      .header('content-length', download.end - download.start + 1)
      .send(body);
  }
  return reply.status(200).header('content-length', download.size).send(body);
}

/** `attachment` with an ASCII fallback name and the exact name in RFC 8187 form. */
function attachment(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const exact = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}
