import { Controller, Get } from '@nestjs/common';
import { WebjsConnection } from './webjs-connection.service';
import type { LinkView } from './webjs-connection.service';

/**
 * For the operator linking the device: the current QR string (render it with any QR tool, or
 * `npx qrcode-terminal '<qr>'`), or the pairing code, and the connection state. Holds no message
 * or customer data; like /metrics, expose it on the internal network only.
 */
@Controller('whatsapp')
export class WebjsLinkController {
  constructor(private readonly connection: WebjsConnection) {}

  @Get('link')
  link(): LinkView {
    return this.connection.link();
  }
}
