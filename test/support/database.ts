import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from './database-url';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with "npm test"`);
  return value;
}

/** A fresh database for one test file, cloned from the migrated template (fast: no migrations). */
export async function cloneDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = required('TEST_PG_SERVER_URL');
  const template = required('TEST_PG_TEMPLATE');
  const name = `civic_t_${template.slice(10)}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: withDatabase(server, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(server, name),
    drop: async () => {
      const client = new Client({ connectionString: withDatabase(server, 'postgres') });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
