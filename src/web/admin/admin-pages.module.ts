import { Module } from '@nestjs/common';
import { AdminModule } from '../../admin/admin.module';
import { WebModule } from '../web.module';
import { AdminCentersPagesController } from './admin-centers-pages.controller';
import { AdminHomePagesController } from './admin-home-pages.controller';
import { AdminRegistryPageController } from './admin-registry-page.controller';
import { AdminSchedulePagesController } from './admin-schedule-pages.controller';
import { AdminServicesPagesController } from './admin-services-pages.controller';
import { AdminStaffPagesController } from './admin-staff-pages.controller';
import { CenterPageService } from './center-page.service';

/** The administration as pages under /admin, on the admin API's services (admins with TOTP only). */
@Module({
  imports: [WebModule, AdminModule],
  controllers: [AdminHomePagesController, AdminCentersPagesController, AdminSchedulePagesController, AdminServicesPagesController, AdminStaffPagesController, AdminRegistryPageController],
  providers: [CenterPageService],
})
export class AdminPagesModule {}
