/** The pad's timings (no imports: the browser tests read them too). */

/** With no touch for this long, a rating request goes back to idle and the ticket stays unrated. */
export const RATING_TIMEOUT_MS = 30_000;
/** How long the thank-you screen stays. */
export const THANKS_MS = 5_000;
