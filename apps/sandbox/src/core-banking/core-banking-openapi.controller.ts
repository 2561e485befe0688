import { Controller, Get } from '@nestjs/common';
// The contract a bank implements; served as it is committed (tsc copies it beside the build).
import openapi from '../../../../docs/core-banking.openapi.json';

/** The core-banking API's OpenAPI 3.1 document, without a key: it describes, it reveals nothing. */
@Controller('core/v1')
export class CoreBankingOpenApiController {
  @Get('openapi.json')
  document(): typeof openapi {
    return openapi;
  }
}
