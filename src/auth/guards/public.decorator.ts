import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'civic:public';

/** Marks a route that answers without a session. Every other route requires one. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
