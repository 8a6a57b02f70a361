import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { FormErrors, message } from '../staff/form-errors';

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FormErrors };

/**
 * A page form checked by the API's own DTO and rules (the global pipe's options), so that a
 * page accepts exactly what the API accepts. Each refusal is keyed by its form field: the
 * DTO path with dots as underscores (`name.zh` → `name_zh`), and its message is
 * `admin:invalid.<field>` with list indices left out (`hours.3.opens` → `hours_opens`).
 */
export async function checkForm<T extends object>(dto: new () => T, plain: Record<string, unknown>, fieldOf: (path: string) => string = underscored): Promise<Checked<T>> {
  const value = plainToInstance(dto, plain);
  const problems = await validate(value, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (problems.length === 0) return { ok: true, value };
  const errors: FormErrors = {};
  for (const path of failedPaths(problems)) errors[fieldOf(path)] ??= message(`admin:invalid.${underscored(path.replace(/\.\d+/g, ''))}`);
  return { ok: false, errors };
}

function failedPaths(problems: ValidationError[], parent = ''): string[] {
  return problems.flatMap((problem) => {
    const path = parent ? `${parent}.${problem.property}` : problem.property;
    return [...(problem.constraints ? [path] : []), ...failedPaths(problem.children ?? [], path)];
  });
}

const underscored = (path: string): string => path.replace(/\./g, '_');

/** A number field: the number typed, or the text as it was (the DTO then says it is no number); empty is absent. */
export function numberField(form: Record<string, unknown>, name: string): number | string | undefined {
  const value = typeof form[name] === 'string' ? (form[name] as string).trim() : '';
  if (value === '') return undefined;
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

/** Lines of a text area, trimmed, the empty ones left out. */
export function lines(form: Record<string, unknown>, name: string): string[] {
  const value = typeof form[name] === 'string' ? (form[name] as string) : '';
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** Every text field of a form as typed (bounded), to show the form again after a refusal. */
export function typedValues(form: Record<string, unknown>, max = 2000): Record<string, string> {
  return Object.fromEntries(Object.entries(form).filter(([key, value]) => key !== '_csrf' && key !== 'password' && typeof value === 'string').map(([key, value]) => [key, (value as string).slice(0, max)]));
}
