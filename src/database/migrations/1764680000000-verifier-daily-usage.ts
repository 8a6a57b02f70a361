import { MigrationInterface, QueryRunner } from 'typeorm';

/** Calls to the carrier verifier per local day, counted across instances against VERIFIER_DAILY_LIMIT. */
export class VerifierDailyUsage1764680000000 implements MigrationInterface {
  name = 'VerifierDailyUsage1764680000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "verifier_daily_usage" ("day" date NOT NULL, "calls" integer NOT NULL CHECK ("calls" > 0), CONSTRAINT "PK_verifier_daily_usage" PRIMARY KEY ("day"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "verifier_daily_usage"`);
  }
}
