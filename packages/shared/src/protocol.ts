/**
 * The realtime protocol between the queue server and every screen (socket.io).
 *
 * On connect the server sends one `sync:snapshot` with everything the client's role may see and the
 * sequence number of the last fact it includes; then ordered facts, each with the next sequence number,
 * the facts of one commit together in one `sync:facts` message. A client that sees a gap (seq ≠ last + 1), a new epoch, or that reconnects, asks
 * `sync:snapshot` again. Commands are `entity:verb` with a typed acknowledgement {data} | {error}.
 * Nothing personal (ID numbers, names of citizens) is ever part of the protocol.
 */
import type { ApiError } from './errors.js';
import type {
  Counter,
  DeviceFault,
  DeviceKind,
  Evaluation,
  EvaluationBody,
  HallInfo,
  QueueSummary,
  Role,
  Service,
  Ticket,
  TicketView,
  TransferBody,
} from './schemas.js';

export const PROTOCOL_VERSION = 1;

/** Where a realtime client is: a person (by role) or a device (by kind, and its counter). */
export type Audience =
  | { type: 'user'; id: string; role: Role; name: string; counterIds: string[] }
  | { type: 'device'; id: string; kind: DeviceKind; counterId: string | null };

/** Whether a paired device (a screen, a pad, a keypad) has a live connection now. */
export interface DevicePresence {
  deviceId: string;
  kind: DeviceKind;
  name: string;
  counterId: string | null;
  online: boolean;
  /** true once: the device was revoked; screens drop it. */
  revoked: boolean;
  /** When it last connected or disconnected. */
  since: string;
  /** Its components' current faults (a kiosk's printer out of paper…); [] when all is well. */
  faults: DeviceFault[];
}

/** A counter's work today: tickets finished and no-shows (the clerk's and the manager's counts). */
export interface CounterToday {
  counterId: string;
  served: number;
  noShows: number;
}

export interface RecentCall {
  ticketId: string;
  number: string;
  serviceId: string;
  counterId: string;
  counterNumber: number;
  at: string;
  /** true for 重呼 */
  recall: boolean;
}

/** A fact: something that happened, named in the past tense. */
export type Fact =
  | { type: 'ticket:issued'; ticket: TicketView }
  | { type: 'ticket:called'; ticket: TicketView; counter: Counter; call: RecentCall }
  | { type: 'ticket:recalled'; ticket: TicketView; counter: Counter; call: RecentCall }
  | { type: 'ticket:started'; ticket: TicketView; counter: Counter }
  | { type: 'ticket:finished'; ticket: TicketView; counter: Counter }
  | { type: 'ticket:no-show'; ticket: TicketView; counter: Counter }
  | {
      type: 'ticket:transferred';
      ticket: TicketView;
      counter: Counter;
      from: { serviceId: string; counterId: string };
    }
  | { type: 'ticket:cancelled'; ticket: TicketView; counter: Counter | null }
  | { type: 'ticket:reactivated'; ticket: TicketView }
  | { type: 'counter:opened'; counter: Counter }
  | { type: 'counter:paused'; counter: Counter }
  | { type: 'counter:resumed'; counter: Counter }
  | { type: 'counter:closed'; counter: Counter }
  | { type: 'queue:updated'; queues: QueueSummary[] }
  | { type: 'evaluation:recorded'; evaluation: Evaluation }
  | { type: 'hall:notice-changed'; notice: string }
  | { type: 'day:changed'; businessDay: string };

export type FactType = Fact['type'];

/** A fact on the wire: its sequence number within the server's epoch, and when it happened. */
export type FactMessage = Fact & { seq: number; epoch: string; at: string };

export interface Snapshot {
  protocolVersion: typeof PROTOCOL_VERSION;
  /** Changes at every server start; a new epoch means: drop everything, take this snapshot. */
  epoch: string;
  /** The sequence number of the last fact this snapshot includes. */
  seq: number;
  serverTime: string;
  audience: Audience;
  hall: HallInfo;
  services: Service[];
  counters: Counter[];
  /** Today's tickets that are waiting, called or serving. */
  tickets: TicketView[];
  queues: QueueSummary[];
  /** The most recent calls, newest first (at most 20). */
  recentCalls: RecentCall[];
  /** For managers and admins: every paired, unrevoked device and whether it is connected now; else []. */
  devices: DevicePresence[];
  /** Each counter's finished tickets and no-shows of the business day so far. */
  today: CounterToday[];
}

export type Ack<T> = { data: T } | { error: ApiError };
export type AckFn<T> = (ack: Ack<T>) => void;

export interface CounterCommand {
  counterId: string;
}

/** Server → client. */
export interface ServerToClientEvents {
  'sync:snapshot': (snapshot: Snapshot) => void;
  /** The facts of one commit, in order, in one message (a screen renders once for them). */
  'sync:facts': (facts: FactMessage[]) => void;
  /** The token of this connection was revoked or expired; the server disconnects right after. */
  'session:revoked': (reason: ApiError) => void;
  /**
   * To managers and admins only, outside the numbered facts (a screen coming or going is no change of the
   * hall, and 300 screens reconnecting must not cost 300 snapshots): a device connected, left or was revoked,
   * or reported a fault or its recovery.
   */
  'device:presence': (device: DevicePresence) => void;
}

/** Client → server commands, `entity:verb`, each acknowledged. */
export interface ClientToServerEvents {
  'sync:snapshot': (ack: AckFn<Snapshot>) => void;
  'counter:open': (cmd: CounterCommand, ack: AckFn<{ counter: Counter }>) => void;
  'counter:close': (cmd: CounterCommand, ack: AckFn<{ counter: Counter }>) => void;
  'counter:pause': (cmd: CounterCommand, ack: AckFn<{ counter: Counter }>) => void;
  'counter:resume': (cmd: CounterCommand, ack: AckFn<{ counter: Counter }>) => void;
  'counter:call-next': (cmd: CounterCommand & { requestId?: string }, ack: AckFn<{ ticket: Ticket | null }>) => void;
  /** C8: call one waiting ticket by its number ("A023") or its digits ("23"), as a keypad's digits + 呼叫. */
  'counter:call-number': (cmd: CounterCommand & { number: string; requestId?: string }, ack: AckFn<{ ticket: Ticket }>) => void;
  'counter:recall': (cmd: CounterCommand, ack: AckFn<{ ticket: Ticket }>) => void;
  'counter:start': (cmd: CounterCommand, ack: AckFn<{ ticket: Ticket }>) => void;
  'counter:finish': (cmd: CounterCommand, ack: AckFn<{ ticket: Ticket }>) => void;
  'counter:no-show': (cmd: CounterCommand, ack: AckFn<{ ticket: Ticket }>) => void;
  'counter:transfer': (cmd: CounterCommand & { to: TransferBody }, ack: AckFn<{ ticket: Ticket }>) => void;
  'ticket:cancel': (cmd: { ticketId: string }, ack: AckFn<{ ticket: Ticket }>) => void;
  'ticket:reactivate': (cmd: { ticketId: string }, ack: AckFn<{ ticket: Ticket }>) => void;
  'evaluation:submit': (cmd: EvaluationBody, ack: AckFn<{ evaluation: Evaluation }>) => void;
}

/** The names of the client commands, for servers that register handlers from a table. */
export const CLIENT_COMMANDS = [
  'sync:snapshot',
  'counter:open',
  'counter:close',
  'counter:pause',
  'counter:resume',
  'counter:call-next',
  'counter:call-number',
  'counter:recall',
  'counter:start',
  'counter:finish',
  'counter:no-show',
  'counter:transfer',
  'ticket:cancel',
  'ticket:reactivate',
  'evaluation:submit',
] as const satisfies readonly (keyof ClientToServerEvents)[];

/**
 * The client half of the ordering rule: feed every fact through it; it says whether to apply the fact,
 * skip it (already in the snapshot) or resynchronise (a gap or a new epoch).
 */
export function classifyFact(
  current: { epoch: string; seq: number },
  fact: Pick<FactMessage, 'epoch' | 'seq'>,
): 'apply' | 'skip' | 'resync' {
  if (fact.epoch !== current.epoch) return 'resync';
  if (fact.seq <= current.seq) return 'skip';
  if (fact.seq === current.seq + 1) return 'apply';
  return 'resync';
}
