import { IsMobilePhone } from '../identity/validators';

export class DevOutboxQuery {
  @IsMobilePhone()
  to!: string;
}
