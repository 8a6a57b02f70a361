import fastifyMultipart from '@fastify/multipart';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { REGISTRY_MAX_BYTES } from '../../admin/registry-import.service';

/** The one page that takes a file. */
export const REGISTRY_UPLOAD_ROUTE = '/admin/registry';
const MULTIPART_ROUTES = new Set([REGISTRY_UPLOAD_ROUTE]);

/**
 * `multipart/form-data` (a file chosen in a form, which works without JavaScript) for the
 * registry upload only; anywhere else it stays an unsupported media type, as before. The
 * body is read by the route as it arrives, after the session guard: never buffered whole.
 */
export async function setupMultipart(app: NestFastifyApplication): Promise<void> {
  // One byte more than the import's own limit: the import says "too large" in its own words.
  await app.register(fastifyMultipart, { limits: { files: 1, fields: 8, fieldSize: 1024, fileSize: REGISTRY_MAX_BYTES + 1, parts: 10 } });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preValidation', async (request) => {
      if (request.isMultipart() && !MULTIPART_ROUTES.has(request.routeOptions.url ?? '')) {
        throw Object.assign(new Error('Unsupported Media Type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 });
      }
    });
}

export interface Upload {
  /** The text fields before the file, in the form's order (`_csrf`, `mode`). */
  fields: Record<string, string>;
  /** The chosen file, unread; undefined when none was chosen. */
  file?: Readable;
}

/** The form's fields up to its file (the form puts the file last), and the file as a stream. */
export async function readUpload(request: FastifyRequest): Promise<Upload> {
  const fields: Record<string, string> = {};
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      if (typeof part.value === 'string') fields[part.fieldname] = part.value;
      continue;
    }
    // A form sent with no file chosen still has the part: empty, without a name.
    if (!part.filename) {
      part.file.resume();
      return { fields };
    }
    return { fields, file: part.file };
  }
  return { fields };
}
