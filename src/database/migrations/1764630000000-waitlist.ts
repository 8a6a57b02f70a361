import { MigrationInterface, QueryRunner } from 'typeorm';

/** Waitlist, held places and the cool-down of freed places (issue 5). */
export class Waitlist1764630000000 implements MigrationInterface {
  name = 'Waitlist1764630000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "slot" ADD "held" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "slot" DROP CONSTRAINT "slot_booked_within_capacity"`);
    await queryRunner.query(`ALTER TABLE "slot" ADD CONSTRAINT "slot_booked_within_capacity" CHECK (booked >= 0 AND held >= 0 AND booked + held <= capacity)`);
    await queryRunner.query(`CREATE TABLE "waitlist_entry" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "resident_id" uuid, "center_id" uuid NOT NULL, "service_id" uuid NOT NULL, "day" date NOT NULL, "day_starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "day_ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'waiting', "appointment_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "waitlist_entry_day" CHECK (day_starts_at < day_ends_at), CONSTRAINT "waitlist_entry_status" CHECK (status IN ('waiting', 'booked', 'expired', 'left')), CONSTRAINT "PK_77e5b27d89e0b1795ea07ef32f8" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "waitlist_resident" ON "waitlist_entry"  ("resident_id") `);
    await queryRunner.query(`CREATE INDEX "waitlist_line" ON "waitlist_entry"  ("center_id", "day_starts_at", "created_at") WHERE status = 'waiting'`);
    await queryRunner.query(`CREATE UNIQUE INDEX "waitlist_one_per_service" ON "waitlist_entry"  ("resident_id", "service_id") WHERE status = 'waiting'`);
    await queryRunner.query(`CREATE TABLE "slot_hold" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "slot_id" uuid NOT NULL, "waitlist_entry_id" uuid, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "cool_until" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4595e2a8bb79ca2fb7d9b0d103b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "slot_hold_slot" ON "slot_hold"  ("slot_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "slot_hold_entry" ON "slot_hold"  ("waitlist_entry_id") `);
    await queryRunner.query(`CREATE INDEX "slot_hold_due" ON "slot_hold"  ("expires_at") `);
    await queryRunner.query(`ALTER TABLE "waitlist_entry" ADD CONSTRAINT "FK_05d6aefb49481909531a290e786" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "waitlist_entry" ADD CONSTRAINT "FK_481d478583984a99e030d6efc96" FOREIGN KEY ("center_id") REFERENCES "center"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "waitlist_entry" ADD CONSTRAINT "FK_93b09f74efecad37f8f27cd0a8a" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "slot_hold" ADD CONSTRAINT "FK_5d580aa19330ff044b1b293af89" FOREIGN KEY ("slot_id") REFERENCES "slot"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "slot_hold" ADD CONSTRAINT "FK_99939add725a7e8965d1db28ead" FOREIGN KEY ("waitlist_entry_id") REFERENCES "waitlist_entry"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "slot_hold"`);
    await queryRunner.query(`DROP TABLE "waitlist_entry"`);
    await queryRunner.query(`ALTER TABLE "slot" DROP CONSTRAINT "slot_booked_within_capacity"`);
    await queryRunner.query(`ALTER TABLE "slot" ADD CONSTRAINT "slot_booked_within_capacity" CHECK (booked >= 0 AND booked <= capacity)`);
    await queryRunner.query(`ALTER TABLE "slot" DROP COLUMN "held"`);
  }
}
