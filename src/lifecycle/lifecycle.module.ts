import { Module } from '@nestjs/common';
import { KeyRotationService } from './key-rotation.service';
import { RetentionService } from './retention.service';

@Module({ providers: [RetentionService, KeyRotationService], exports: [RetentionService, KeyRotationService] })
export class LifecycleModule {}
