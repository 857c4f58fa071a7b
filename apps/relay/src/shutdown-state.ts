import { Injectable } from '@nestjs/common';

/** Set when SIGTERM/SIGINT arrived: requests still arriving on open connections are refused (and logged). */
@Injectable()
export class ShutdownState {
  closing = false;
}
