import { InitialSchema1764570000000 } from './1764570000000-initial-schema';

/** Every migration, oldest first. Add new ones at the end. */
export const MIGRATIONS = [InitialSchema1764570000000];
