/**
 * A window's LED screen (窗口屏), whatever its protocol (Onbon BX-5K/6K, CP5200…): one small promise
 * interface, so the device bridge drives any of them the same way.
 */

export type ScreenErrorCode =
  /** No answer in time (cable, address, baud rate). */
  | 'SCREEN_TIMEOUT'
  /** The screen answered with an error (busy, CRC, font missing…); `detail` says which. */
  | 'SCREEN_REFUSED'
  /** The line or socket is gone. */
  | 'SCREEN_CLOSED'
  /** The text cannot be sent (not encodable in the screen's character set, too long). */
  | 'SCREEN_BAD_TEXT';

export class ScreenError extends Error {
  constructor(
    readonly code: ScreenErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'ScreenError';
  }
}

export interface WindowScreen {
  /** Shows one text (e.g. 请A023号到5号窗口), replacing what was shown; resolves when the screen accepted it. */
  show(text: string): Promise<void>;
  clear(): Promise<void>;
  /** Resolves when the screen answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
