import { ValidateBy, ValidationOptions } from 'class-validator';
import { idNumberInput, idNumberScheme } from './id-number';
import { parseMobilePhone } from './phone';

/** For `@Transform`: an ID number as typed becomes the form it is compared in (see idNumberInput). */
export const toIdNumberInput = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? idNumberInput(value) : value);

/** A valid ID number of the configured scheme; failures answer `invalid_id_number`. */
export function IsIdNumber(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIdNumber',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && idNumberScheme().normalise(value) !== undefined,
        defaultMessage: () => 'idNumber must be a valid ID number',
      },
    },
    { ...options, context: { code: 'invalid_id_number' } },
  );
}

/** A valid mobile phone number; failures answer `invalid_phone`. */
export function IsMobilePhone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMobilePhoneNumber',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseMobilePhone(value) !== undefined,
        defaultMessage: () => 'phone must be a valid mobile phone number',
      },
    },
    { ...options, context: { code: 'invalid_phone' } },
  );
}
