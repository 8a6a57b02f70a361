import assert from 'node:assert/strict';
import { ApiClient } from './http';

/** The part of an OpenAPI 3 schema object the tests read. */
export interface SchemaObject {
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  description?: string;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  items?: SchemaObject;
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  $ref?: string;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: SchemaObject;
  description?: string;
}

export interface OpenApiBody {
  /** application/json, or e.g. text/csv. */
  contentType: string;
  /** For JSON: the name of the schema in components.schemas (every JSON body here is a named DTO). */
  schemaName?: string;
  schema: SchemaObject;
  required: boolean;
}

export interface OpenApiOperation {
  /** Upper case: GET, POST, … */
  method: string;
  /** As documented, with {placeholders}. */
  path: string;
  /** "METHOD /path": the key the route tables use. */
  route: string;
  parameters: OpenApiParameter[];
  /** The request body, if the operation takes one. */
  body?: OpenApiBody;
}

export interface OpenApiDocument {
  operations: OpenApiOperation[];
  schemas: Record<string, SchemaObject>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export const routeOf = (operation: { method: string; path: string }): string => `${operation.method} ${operation.path}`;

/**
 * Every operation of the app's own OpenAPI document (GET /api/docs-json), in document order.
 * Header parameters are compared without case, as HTTP does: a header documented twice under
 * two spellings is one parameter (required if either says so).
 */
export async function loadOpenApi(api: ApiClient): Promise<OpenApiDocument> {
  const document = await api.get('/api/docs-json');
  assert.equal(document.status, 200, 'GET /api/docs-json');
  const schemas = (document.body.components?.schemas ?? {}) as Record<string, SchemaObject>;
  const operations = Object.entries(document.body.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]): OpenApiOperation => {
        const parameters: OpenApiParameter[] = [];
        for (const raw of (operation.parameters ?? []) as Array<Omit<OpenApiParameter, 'required' | 'schema'> & { required?: boolean; schema?: SchemaObject }>) {
          const same = parameters.find((p) => p.in === raw.in && (raw.in === 'header' ? p.name.toLowerCase() === raw.name.toLowerCase() : p.name === raw.name));
          if (same) {
            same.required ||= raw.required === true;
            continue;
          }
          parameters.push({ ...raw, required: raw.required === true, schema: raw.schema ?? { type: 'string' } });
        }
        const [contentType, content] = Object.entries((operation.requestBody?.content ?? {}) as Record<string, { schema?: SchemaObject }>)[0] ?? [];
        const schemaName = content?.schema?.$ref?.split('/').pop();
        if (contentType === 'application/json') assert.ok(schemaName && schemas[schemaName], `${method.toUpperCase()} ${path}: the JSON request body is not a named schema`);
        return {
          method: method.toUpperCase(),
          path,
          route: `${method.toUpperCase()} ${path}`,
          parameters,
          body: contentType
            ? { contentType, schemaName, schema: schemaName ? schemas[schemaName]! : (content?.schema ?? {}), required: operation.requestBody?.required === true }
            : undefined,
        };
      }),
  );
  return { operations, schemas };
}

/** The documented path with its {placeholders} replaced by these values (URL-encoded). */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    assert.ok(value !== undefined, `${path}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
}
