import { Transform, type TransformCallback } from 'node:stream';
import { KeelError } from '../../core/errors.js';

/** A pass-through that fails with `PAYLOAD_TOO_LARGE` as soon as more than `maxBytes` went by. */
export function uploadLimit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > maxBytes) {
        callback(tooLarge(maxBytes));
        return;
      }
      callback(null, chunk);
    },
  });
}

export function tooLarge(maxBytes: number): KeelError {
  return new KeelError(
    'PAYLOAD_TOO_LARGE',
    `The artifact is larger than this server accepts (${maxBytes} bytes); split it or raise KEEL_MAX_ARTIFACT_BYTES`,
  );
}
