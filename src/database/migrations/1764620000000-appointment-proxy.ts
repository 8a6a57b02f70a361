import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Proxy pickup: the relative a resident names for an appointment, in a table of its own (the
 * booking statements stay as they are). Keyed hash and ciphertext of the proxy's ID number,
 * as for residents; the row goes with its appointment.
 */
export class AppointmentProxy1764620000000 implements MigrationInterface {
  name = 'AppointmentProxy1764620000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "appointment_proxy" ("appointment_id" uuid NOT NULL, "id_hash" bytea NOT NULL, "id_cipher" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3e23e9530a083d17d86ab72d9df" PRIMARY KEY ("appointment_id"))`);
    await queryRunner.query(`ALTER TABLE "appointment_proxy" ADD CONSTRAINT "FK_3e23e9530a083d17d86ab72d9df" FOREIGN KEY ("appointment_id") REFERENCES "appointment"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "appointment_proxy"`);
  }
}
