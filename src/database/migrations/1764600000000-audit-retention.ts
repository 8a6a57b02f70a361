import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention may remove audit entries older than the kept years, but only up to a signed
 * checkpoint and only when the retention job says so; everything else stays append-only.
 */
export class AuditRetention1764600000000 implements MigrationInterface {
  name = 'AuditRetention1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_checkpoint" ("seq" bigint NOT NULL, "hash" bytea NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "signature" bytea NOT NULL, CONSTRAINT "PK_bbe7947942cf3aa13ede7d7b301" PRIMARY KEY ("seq"))`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('civic.audit_retention', true) = 'on'
           AND OLD.seq <= (SELECT coalesce(max(seq), 0) FROM audit_checkpoint) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_entry is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entry is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`DROP TABLE "audit_checkpoint"`);
  }
}
