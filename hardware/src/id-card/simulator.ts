/**
 * A simulated SAM ID card reader answering the protocol of shared/reference/id-card-reader.md
 * on any Port (a serial port path: one end of a socat pty pair). Place and remove cards, inject faults.
 */
import { decodeCommand, encodeReply, encodeTextBlock, encodeTextPhoto, FrameParser, type IdCardText, SW3 } from './codec.js';
import { openSerialPort, type Port } from './reader.js';

export interface SimulatedCard {
  /** Fields, or a raw 256-byte text block. */
  text: IdCardText | Buffer;
  /** Defaults to 1024 × 00 (a simulator cannot make a WLT that decodes). */
  photo?: Buffer;
  /** 8 bytes returned by select. */
  serial?: Buffer;
}

export type SimulatorFault =
  /** The command is answered with SW3 41 (reading the card failed). */
  | 'read-failure'
  /** The reply's CHK byte is corrupted. */
  | 'bad-checksum'
  /** The command is not answered at all. */
  | 'no-reply'
  /** Noise bytes are sent before the reply. */
  | 'garbage';

export type CommandName = 'find' | 'select' | 'read' | 'any';

/** The real SAM id capture of the reference. */
const SAM_ID = Buffer.from('0500010009B8320105BE1200ADC5B111', 'hex');

export class IdCardReaderSimulator {
  private readonly parser = new FrameParser();
  private readonly unsubscribe: () => void;
  private card: SimulatedCard | null = null;
  private state: 'idle' | 'found' | 'selected' = 'idle';
  private faults: { fault: SimulatorFault; on: CommandName }[] = [];
  /** Commands received, as 'CMD PARA' hex (e.g. '20 01'); frames with a bad checksum as 'bad'. */
  readonly received: string[] = [];

  constructor(private readonly port: Port) {
    this.unsubscribe = port.onData((chunk) => this.onData(chunk));
  }

  static async open(path: string, baudRate = 115200): Promise<IdCardReaderSimulator> {
    return new IdCardReaderSimulator(await openSerialPort(path, baudRate));
  }

  placeCard(card: SimulatedCard): void {
    this.card = card;
    this.state = 'idle';
  }

  removeCard(): void {
    this.card = null;
    this.state = 'idle';
  }

  /** Injects a fault for the next matching command (`times` times). */
  inject(fault: SimulatorFault, on: CommandName = 'any', times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push({ fault, on });
  }

  clearFaults(): void {
    this.faults = [];
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.port.close();
  }

  private onData(chunk: Buffer): void {
    for (const parsed of this.parser.push(chunk)) {
      if (!parsed.ok) {
        this.received.push('bad');
        void this.send(encodeReply(parsed.error.code === 'BAD_CHECKSUM' ? SW3.checksumWrong : SW3.lengthWrong));
        continue;
      }
      const { cmd, para } = decodeCommand(parsed.frame);
      this.received.push(`${hex(cmd)} ${hex(para)}`);
      this.answer(cmd, para);
    }
  }

  private takeFault(name: CommandName): SimulatorFault | undefined {
    const i = this.faults.findIndex((f) => f.on === 'any' || f.on === name);
    if (i < 0) return undefined;
    return this.faults.splice(i, 1)[0]?.fault;
  }

  private answer(cmd: number, para: number): void {
    const name: CommandName =
      cmd === 0x20 && para === 0x01 ? 'find' : cmd === 0x20 && para === 0x02 ? 'select' : cmd === 0x30 ? 'read' : 'any';
    const fault = this.takeFault(name);
    if (fault === 'no-reply') return;
    let reply = fault === 'read-failure' ? encodeReply(SW3.readFailed) : this.replyTo(cmd, para);
    if (fault === 'bad-checksum') {
      reply = Buffer.from(reply);
      reply[reply.length - 1] = (reply[reply.length - 1] as number) ^ 0x5a;
    }
    if (fault === 'garbage') reply = Buffer.concat([Buffer.from([0x00, 0xaa, 0x13, 0x96, 0xff]), reply]);
    void this.send(reply);
  }

  private replyTo(cmd: number, para: number): Buffer {
    const card = this.card;
    switch (`${hex(cmd)}${hex(para)}`) {
      case '10FF': // reset SAM
        this.state = 'idle';
        return encodeReply(SW3.success);
      case '11FF': // SAM status
      case '61FF': // set max RF frame size
        return encodeReply(SW3.success);
      case '12FF':
        return encodeReply(SW3.success, SAM_ID);
      case '2001':
        if (!card) {
          this.state = 'idle';
          return encodeReply(SW3.noCard);
        }
        this.state = 'found';
        return encodeReply(SW3.cardFound, Buffer.alloc(4));
      case '2002':
        if (!card) return encodeReply(SW3.selectFailed);
        if (this.state === 'idle') return encodeReply(SW3.badCommand);
        this.state = 'selected';
        return encodeReply(SW3.success, card.serial ?? Buffer.from('0102030405060708', 'hex'));
      case '3001':
      case '3010':
      case '3003': {
        if (!card) return encodeReply(SW3.readFailed);
        if (this.state !== 'selected') return encodeReply(SW3.badCommand);
        const text = Buffer.isBuffer(card.text) ? card.text : encodeTextBlock(card.text);
        const photo = card.photo ?? Buffer.alloc(1024);
        if (para === 0x03) return encodeReply(SW3.empty);
        if (para === 0x01) return encodeReply(SW3.success, encodeTextPhoto(text, photo));
        // 30 10: fingerprint length 00 00 (no fingerprints on this card) at 14–15, then text and photo.
        const head = Buffer.alloc(6);
        head.writeUInt16BE(text.length, 0);
        head.writeUInt16BE(photo.length, 2);
        return encodeReply(SW3.success, Buffer.concat([head, text, photo]));
      }
      default:
        return encodeReply(SW3.badCommand);
    }
  }

  private async send(bytes: Buffer): Promise<void> {
    try {
      await this.port.write(bytes);
    } catch {
      // the other end went away; a real reader would not notice either
    }
  }
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
