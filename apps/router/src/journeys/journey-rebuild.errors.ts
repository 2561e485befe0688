import { AppError } from '@omnigate/kit';

/** A rebuild is running (here or on another router), or one was interrupted (→ 409). */
export class JourneyRebuildConflictError extends AppError {
  constructor() {
    super(
      'JOURNEY.REBUILD_CONFLICT',
      'a journey rebuild is running, or one was interrupted: once no router is rebuilding, run it again with --force',
    );
  }
}
