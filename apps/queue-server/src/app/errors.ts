import type { ErrorCode } from '@yimen/shared';
import { ERRORS } from '@yimen/shared';

/** A refusal with a stable code; the HTTP and socket adapters turn it into their error shapes. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
  ) {
    super(message ?? ERRORS[code].message);
    this.name = 'AppError';
  }
  get status(): number {
    return ERRORS[this.code].status;
  }
}
