import { MigrationInterface, QueryRunner } from 'typeorm';

/** The first schema: centers, slots, residents, passcodes, sessions, appointments, audit. */
export class InitialSchema1764570000000 implements MigrationInterface {
  name = 'InitialSchema1764570000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "center" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(32) NOT NULL, "name_zh" text NOT NULL, "name_en" text NOT NULL, "address_zh" text NOT NULL, "address_en" text NOT NULL, "timezone" text NOT NULL DEFAULT 'Asia/Shanghai', "slot_minutes" integer NOT NULL DEFAULT '15', "booking_window_days" integer NOT NULL DEFAULT '14', "release_time" TIME NOT NULL DEFAULT '00:00:00', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_18bfcf32a79cd4804f00e9260de" UNIQUE ("code"), CONSTRAINT "PK_ef3dda6630851ce77a9fe7a0c9d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "service" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(32) NOT NULL, "name_zh" text NOT NULL, "name_en" text NOT NULL, "required_documents" jsonb NOT NULL DEFAULT '[]', "lead_time_hours" integer NOT NULL DEFAULT '24', "active" boolean NOT NULL DEFAULT true, CONSTRAINT "UQ_4cb3cf237c83885cc5046348293" UNIQUE ("code"), CONSTRAINT "PK_85a21558c006647cd76fdce044b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "resident" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "id_hash" bytea NOT NULL, "id_cipher" text NOT NULL, "phone_hash" bytea NOT NULL, "phone_cipher" text NOT NULL, "bound_at" TIMESTAMP WITH TIME ZONE NOT NULL, "restricted_until" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f1a321823d6f69d0e348535fd37" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "resident_id_hash" ON "resident"  ("id_hash") `);
    await queryRunner.query(`CREATE INDEX "resident_phone_hash" ON "resident"  ("phone_hash") `);
    await queryRunner.query(`CREATE TABLE "slot" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "center_id" uuid NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "capacity" integer NOT NULL, "booked" integer NOT NULL DEFAULT '0', CONSTRAINT "slot_center_start" UNIQUE ("center_id", "starts_at"), CONSTRAINT "slot_period" CHECK (starts_at < ends_at), CONSTRAINT "slot_booked_within_capacity" CHECK (booked >= 0 AND booked <= capacity), CONSTRAINT "PK_5b1f733c4ba831a51f3c114607b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "appointment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "reference" character varying(16) NOT NULL, "center_id" uuid NOT NULL, "service_id" uuid NOT NULL, "slot_id" uuid NOT NULL, "resident_id" uuid, "status" character varying(16) NOT NULL DEFAULT 'booked', "preparation" character varying(16) NOT NULL DEFAULT 'pending', "ticket" character varying(16), "idempotency_key" character varying(128), "request_hash" bytea, "certificate_serial" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "cancelled_at" TIMESTAMP WITH TIME ZONE, "checked_in_at" TIMESTAMP WITH TIME ZONE, "fulfilled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "appointment_preparation" CHECK (preparation IN ('pending', 'ready')), CONSTRAINT "appointment_status" CHECK (status IN ('booked', 'checked_in', 'fulfilled', 'cancelled', 'no_show')), CONSTRAINT "PK_e8be1a53027415e709ce8a2db74" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "appointment_reference" ON "appointment"  ("reference") `);
    await queryRunner.query(`CREATE INDEX "appointment_resident" ON "appointment"  ("resident_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "appointment_slot" ON "appointment"  ("slot_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "appointment_idempotency" ON "appointment"  ("resident_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "appointment_one_active_per_service" ON "appointment"  ("resident_id", "service_id") WHERE status IN ('booked', 'checked_in')`);
    await queryRunner.query(`CREATE TABLE "audit_entry" ("seq" bigint NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_type" character varying(16) NOT NULL, "actor_id" uuid, "actor_role" character varying(16), "action" character varying(48) NOT NULL, "center_id" uuid, "appointment_id" uuid, "resident_id_hash" bytea, "detail" jsonb NOT NULL DEFAULT '{}', "prev_hash" bytea NOT NULL, "hash" bytea NOT NULL, CONSTRAINT "PK_bb4ea39cbd1686232d5fdda3a01" PRIMARY KEY ("seq"))`);
    await queryRunner.query(`CREATE INDEX "audit_entry_center" ON "audit_entry"  ("center_id", "at") `);
    await queryRunner.query(`CREATE INDEX "audit_entry_resident" ON "audit_entry"  ("resident_id_hash", "seq") `);
    await queryRunner.query(`CREATE TABLE "otp_challenge" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "purpose" character varying(16) NOT NULL, "id_hash" bytea NOT NULL, "id_cipher" text NOT NULL, "phone_hash" bytea NOT NULL, "phone_cipher" text NOT NULL, "ip_hash" bytea, "code_hash" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "consumed_at" TIMESTAMP WITH TIME ZONE, "killed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "otp_challenge_purpose" CHECK (purpose IN ('login', 'counter')), CONSTRAINT "PK_200fe6e81812616e7f97690cb21" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "otp_challenge_ip_recent" ON "otp_challenge"  ("ip_hash", "created_at") `);
    await queryRunner.query(`CREATE INDEX "otp_challenge_phone_recent" ON "otp_challenge"  ("phone_hash", "created_at") `);
    await queryRunner.query(`CREATE INDEX "otp_challenge_id_recent" ON "otp_challenge"  ("id_hash", "created_at") `);
    await queryRunner.query(`CREATE TABLE "otp_failure" ("id" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL, "id_hash" bytea NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_f2740d68169c4899512cfd2a870" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "otp_failure_id_recent" ON "otp_failure"  ("id_hash", "at") `);
    await queryRunner.query(`CREATE TABLE "session" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" bytea NOT NULL, "subject" character varying(16) NOT NULL, "resident_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "idle_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "session_subject" CHECK (subject IN ('resident', 'staff')), CONSTRAINT "PK_f55da76ac1c3ac420f444d2ff11" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "session_token_hash" ON "session"  ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "session_resident" ON "session"  ("resident_id") `);
    await queryRunner.query(`CREATE TABLE "sign_in_lock" ("id_hash" bytea NOT NULL, "locked_until" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_d0f8991f7dfa0895fccd479fb77" PRIMARY KEY ("id_hash"))`);
    await queryRunner.query(`CREATE TABLE "center_service" ("center_id" uuid NOT NULL, "service_id" uuid NOT NULL, "lead_time_hours" integer, CONSTRAINT "PK_71af9f42d49497b1ac84a8e9f65" PRIMARY KEY ("center_id", "service_id"))`);
    await queryRunner.query(`CREATE TABLE "closure" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "center_id" uuid NOT NULL, "day" date NOT NULL, "reason" text NOT NULL, CONSTRAINT "closure_center_day" UNIQUE ("center_id", "day"), CONSTRAINT "PK_320f18692cc9062c46e6081d808" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "opening_hours" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "center_id" uuid NOT NULL, "weekday" smallint NOT NULL, "opens" TIME NOT NULL, "closes" TIME NOT NULL, "counters" integer NOT NULL, CONSTRAINT "opening_hours_counters" CHECK (counters > 0), CONSTRAINT "opening_hours_period" CHECK (opens < closes), CONSTRAINT "opening_hours_weekday" CHECK (weekday BETWEEN 1 AND 7), CONSTRAINT "PK_09415e2b345103b1f5971464f85" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "opening_hours_center" ON "opening_hours"  ("center_id", "weekday") `);
    await queryRunner.query(`CREATE TABLE "dev_outbox_message" ("id" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL, "channel" character varying(16) NOT NULL, "recipient_hash" bytea NOT NULL, "recipient_cipher" text NOT NULL, "text_cipher" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_dac1d3a7205c1f72c96e5e2ff86" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "dev_outbox_recipient" ON "dev_outbox_message"  ("recipient_hash", "created_at") `);
    await queryRunner.query(`CREATE TABLE "registry_entry" ("id_hash" bytea NOT NULL, "phone_hash" bytea NOT NULL, "phone_cipher" text NOT NULL, "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e513c4e50d31a4433556af16940" PRIMARY KEY ("id_hash"))`);
    await queryRunner.query(`ALTER TABLE "slot" ADD CONSTRAINT "FK_59c087b9a2867cc5fcb3e516ca2" FOREIGN KEY ("center_id") REFERENCES "center"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "appointment" ADD CONSTRAINT "FK_96b9b73adeffaab151c17bb26f7" FOREIGN KEY ("center_id") REFERENCES "center"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "appointment" ADD CONSTRAINT "FK_a170b01d5845a629233fb80a51a" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "appointment" ADD CONSTRAINT "FK_9f9596ccb3fe8e63358d9bfcbdb" FOREIGN KEY ("slot_id") REFERENCES "slot"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "appointment" ADD CONSTRAINT "FK_0df0aee8313cc43f30258de021a" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "session" ADD CONSTRAINT "FK_ea3015466826b6e2cb96cfe46ff" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "center_service" ADD CONSTRAINT "FK_ac5ea890ed047f1219cd350cca6" FOREIGN KEY ("center_id") REFERENCES "center"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "center_service" ADD CONSTRAINT "FK_fc6c42135be360ed6e48d7b710b" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "closure" ADD CONSTRAINT "FK_1bb5b89ec465702d040d173ac26" FOREIGN KEY ("center_id") REFERENCES "center"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "opening_hours" ADD CONSTRAINT "FK_e1c34a6073c57a180931e87ee7c" FOREIGN KEY ("center_id") REFERENCES "center"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    // The audit trail is append-only: the database itself refuses to change history.
    await queryRunner.query(`CREATE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entry is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON "audit_entry"
      FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON "audit_entry"
      FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "registry_entry" CASCADE`);
    await queryRunner.query(`DROP TABLE "dev_outbox_message" CASCADE`);
    await queryRunner.query(`DROP TABLE "opening_hours" CASCADE`);
    await queryRunner.query(`DROP TABLE "closure" CASCADE`);
    await queryRunner.query(`DROP TABLE "center_service" CASCADE`);
    await queryRunner.query(`DROP TABLE "sign_in_lock" CASCADE`);
    await queryRunner.query(`DROP TABLE "session" CASCADE`);
    await queryRunner.query(`DROP TABLE "otp_failure" CASCADE`);
    await queryRunner.query(`DROP TABLE "otp_challenge" CASCADE`);
    await queryRunner.query(`DROP TABLE "audit_entry" CASCADE`);
    await queryRunner.query(`DROP TABLE "appointment" CASCADE`);
    await queryRunner.query(`DROP TABLE "slot" CASCADE`);
    await queryRunner.query(`DROP TABLE "resident" CASCADE`);
    await queryRunner.query(`DROP TABLE "service" CASCADE`);
    await queryRunner.query(`DROP TABLE "center" CASCADE`);
    await queryRunner.query(`DROP FUNCTION audit_entry_refuse_change()`);
  }
}
