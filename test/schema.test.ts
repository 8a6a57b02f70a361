import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { cloneDatabase } from './support/database';
import { createCenter, createSlot } from './support/factories';

describe('database schema', () => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  before(async () => {
    const database = await cloneDatabase();
    drop = database.drop;
    dataSource = new DataSource(dataSourceOptions(database.url, 2));
    await dataSource.initialize();
  });
  after(async () => {
    await dataSource.destroy();
    await drop();
  });

  it('the migrations build exactly the schema the entities describe (no drift)', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    assert.deepEqual(pending.upQueries.map((q) => q.query), []);
  });

  it('no migration is pending after the template was migrated', async () => {
    assert.equal(await dataSource.showMigrations(), false);
  });

  it('CHECK (booked <= capacity) is the last line of defence against over-booking', async () => {
    const { center } = await createCenter(dataSource);
    const slot = await createSlot(dataSource, center.id, { capacity: 2 });
    await assert.rejects(dataSource.query('UPDATE slot SET booked = 3 WHERE id = $1', [slot.id]), /slot_booked_within_capacity/);
    await assert.rejects(dataSource.query('UPDATE slot SET booked = -1 WHERE id = $1', [slot.id]), /slot_booked_within_capacity/);
  });

  it('the audit trail refuses UPDATE, DELETE and TRUNCATE', async () => {
    await dataSource.query(
      `INSERT INTO audit_entry (seq, at, actor_type, action, prev_hash, hash) VALUES (1, now(), 'system', 'test', '\\x00', '\\x01')`,
    );
    await assert.rejects(dataSource.query(`UPDATE audit_entry SET action = 'changed'`), /append-only/);
    await assert.rejects(dataSource.query('DELETE FROM audit_entry'), /append-only/);
    await assert.rejects(dataSource.query('TRUNCATE audit_entry'), /append-only/);
    const [row] = await dataSource.query('SELECT action FROM audit_entry WHERE seq = 1');
    assert.equal(row.action, 'test');
  });
});
