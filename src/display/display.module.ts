import { Module } from '@nestjs/common';
import { DisplayController } from './display.controller';
import { DisplayEventsService } from './display-events.service';
import { DisplayService } from './display.service';

@Module({
  controllers: [DisplayController],
  providers: [DisplayService, DisplayEventsService],
  exports: [DisplayService],
})
export class DisplayModule {}
