import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room in every slot page for the new version of its rows: booking and cancelling update
 * `slot.booked` all the time, and with full pages (fillfactor 100) each such update moves the
 * row to another page and adds entries to both of the slot's indexes. With 30 % free, the
 * updates are HOT (same page, no index entries), and a center's slots stay together on disk,
 * so availability reads a few pages instead of one page per slot (benchmark, issue 6).
 */
export class BookingHotPaths1764610000000 implements MigrationInterface {
  name = 'BookingHotPaths1764610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "slot" SET (fillfactor = 70)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "slot" RESET (fillfactor)`);
  }
}
