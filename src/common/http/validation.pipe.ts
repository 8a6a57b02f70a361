import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-catalogue';

interface FieldProblem {
  field: string;
  messages: string[];
}

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** A field validator may name the API's own code (e.g. invalid_id_number) in its context. */
function codeOf(errors: ValidationError[]): ErrorCode {
  for (const error of errors) {
    for (const context of Object.values(error.contexts ?? {})) {
      const code = (context as { code?: ErrorCode }).code;
      if (code) return code;
    }
  }
  return 'validation_failed';
}

/** Deeper than any request of this API; class-transformer recurses and would overflow the stack. */
const MAX_DEPTH = 16;

/**
 * Refuses what no field of this API may hold, before class-transformer sees it: nesting deeper
 * than MAX_DEPTH and NUL characters (PostgreSQL cannot store them in text). Iterative, so that
 * the check itself cannot overflow.
 */
export function refuseUnstorable(value: unknown): void {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) throw new DomainError('validation_failed', { detail: 'NUL characters are not allowed' });
    } else if (current !== null && typeof current === 'object') {
      if (depth >= MAX_DEPTH) throw new DomainError('validation_failed', { detail: `The request nests more than ${MAX_DEPTH} levels deep` });
      for (const [key, child] of Object.entries(current)) stack.push([key, depth + 1], [child, depth + 1]);
    }
  }
}

class StrictValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') refuseUnstorable(value);
    return super.transform(value, metadata);
  }
}

/** Strict: unknown fields are refused, types are converted, failures are problem+json. */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new DomainError(codeOf(errors), {
        detail: fields.map((f) => f.messages.join('; ')).join('; ') || 'The request body must be a JSON object',
        extensions: { errors: fields },
      });
    },
  });
}
