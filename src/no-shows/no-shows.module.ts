import { Module } from '@nestjs/common';
import { NoShowPolicyService } from './no-show-policy.service';
import { NoShowSweepService } from './no-show-sweep.service';

@Module({ providers: [NoShowPolicyService, NoShowSweepService], exports: [NoShowPolicyService, NoShowSweepService] })
export class NoShowsModule {}
