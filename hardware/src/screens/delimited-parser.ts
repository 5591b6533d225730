/**
 * The stream parser of the LED protocols whose frames sit between a start byte and an end byte that
 * escaping keeps out of the body (Onbon: A5 … 5A; CP5200: A5 … AE): a frame is found without its length.
 * Bytes outside frames are counted in `skipped`; frames that fail (the protocol's own decoding, cut by a new
 * start byte, too long) are returned as `{ ok: false }` and counted in `bad`.
 */

export type Parsed<P, E> = { ok: true; packet: P } | { ok: false; error: E };

export interface DelimitedFraming<P, E extends Error> {
  start: number;
  end: number;
  /** Escaped body bytes at most; beyond, the frame is dropped as TOO_LONG. */
  maxBody: number;
  /** The end byte as the messages name it, e.g. '5A'. */
  endName: string;
  /** Unescapes and decodes a body; throws the protocol's error (E) when it is bad. */
  decode(body: Uint8Array): P;
  /** The protocol's error for the parser's own findings. */
  error(code: 'TRUNCATED' | 'TOO_LONG' | 'BAD_LENGTH', message: string): E;
  isError(e: unknown): e is E;
}

export class DelimitedFrameParser<P, E extends Error> {
  private body: number[] = [];
  private inFrame = false;
  skipped = 0;
  bad = 0;

  constructor(private readonly framing: DelimitedFraming<P, E>) {}

  push(chunk: Uint8Array): Parsed<P, E>[] {
    const f = this.framing;
    const out: Parsed<P, E>[] = [];
    const fail = (error: E) => {
      this.bad++;
      out.push({ ok: false, error });
    };
    for (const b of chunk) {
      if (b === f.start) {
        if (this.inFrame && this.body.length > 0) fail(f.error('TRUNCATED', 'frame cut by a new A5'));
        this.inFrame = true;
        this.body = [];
      } else if (!this.inFrame) {
        this.skipped++;
      } else if (b === f.end) {
        this.inFrame = false;
        try {
          out.push({ ok: true, packet: f.decode(Uint8Array.from(this.body)) });
        } catch (e) {
          fail(f.isError(e) ? e : f.error('BAD_LENGTH', String(e)));
        }
        this.body = [];
      } else if (this.body.length >= f.maxBody) {
        this.inFrame = false;
        this.body = [];
        this.skipped++;
        fail(f.error('TOO_LONG', `no ${f.endName} within ${f.maxBody} bytes`));
      } else {
        this.body.push(b);
      }
    }
    return out;
  }

  /** Bytes held while waiting for the rest of a frame. */
  get pending(): number {
    return this.body.length;
  }

  reset(): void {
    this.body = [];
    this.inFrame = false;
  }
}
