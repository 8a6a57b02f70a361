import { ValidationError, ValidationPipe } from '@nestjs/common';
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

/** Strict: unknown fields are refused, types are converted, failures are problem+json. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
