/** `binary=base64|data_url`: how binary values are rendered. */
import { errors } from '../../errors.js';
import { singleParam, type RawQuery } from '../../query/params.js';
import type { ValueOptions } from '../../values/record-values.js';

export function parseValueOptions(query: RawQuery): ValueOptions {
  const binary = singleParam(query, 'binary') ?? 'base64';
  if (binary !== 'base64' && binary !== 'data_url') {
    throw errors.badRequest('invalid_parameter', '"binary" must be base64 or data_url.', {
      errors: [{ field: 'binary', message: 'must be base64 or data_url' }],
    });
  }
  return { binary };
}
