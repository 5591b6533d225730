/**
 * T10: every ticket status × every command, as an explicit table. A cell is the status the ticket has
 * after the command, or the precise refusal code. Counter commands act on the counter's current ticket
 * (w1, open): for a ticket w1 does not hold they answer about w1, which holds nothing.
 */
import type { ErrorCode, TicketStatus } from '@yimen/shared';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/domain/commands.js';
import type { TicketRecord } from '../../src/domain/model.js';
import { World } from './harness.js';

type Command = 'call-next' | 'recall' | 'start' | 'finish' | 'no-show' | 'transfer' | 'cancel' | 'reactivate' | 'evaluate';
type Cell = { becomes: TicketStatus } | { refused: ErrorCode };

const to = (becomes: TicketStatus): Cell => ({ becomes });
const no = (refused: ErrorCode): Cell => ({ refused });

const TABLE: Record<TicketStatus, Record<Command, Cell>> = {
  waiting: {
    'call-next': to('called'),
    recall: no('NO_CURRENT_TICKET'),
    start: no('NO_CURRENT_TICKET'),
    finish: no('NO_CURRENT_TICKET'),
    'no-show': no('NO_CURRENT_TICKET'),
    transfer: no('NO_CURRENT_TICKET'),
    cancel: to('cancelled'),
    reactivate: no('TICKET_NOT_NO_SHOW'),
    evaluate: no('TICKET_NOT_DONE'),
  },
  called: {
    'call-next': to('done'), // T1: the held ticket is finished first
    recall: to('called'),
    start: to('serving'),
    finish: to('done'),
    'no-show': to('no_show'),
    transfer: to('waiting'),
    cancel: to('cancelled'),
    reactivate: no('TICKET_NOT_NO_SHOW'),
    evaluate: no('TICKET_NOT_DONE'),
  },
  serving: {
    'call-next': to('done'),
    recall: no('TICKET_ALREADY_SERVING'),
    start: no('TICKET_ALREADY_SERVING'),
    finish: to('done'),
    'no-show': no('TICKET_ALREADY_SERVING'),
    transfer: to('waiting'),
    cancel: no('TICKET_ALREADY_SERVING'),
    reactivate: no('TICKET_NOT_NO_SHOW'),
    evaluate: no('TICKET_NOT_DONE'),
  },
  done: {
    'call-next': to('done'), // the counter calls no one: the ticket stays done
    recall: no('NO_CURRENT_TICKET'),
    start: no('NO_CURRENT_TICKET'),
    finish: no('NO_CURRENT_TICKET'),
    'no-show': no('NO_CURRENT_TICKET'),
    transfer: no('NO_CURRENT_TICKET'),
    cancel: no('TICKET_CLOSED'),
    reactivate: no('TICKET_NOT_NO_SHOW'),
    evaluate: to('done'), // E1: rated, still done
  },
  no_show: {
    'call-next': to('no_show'),
    recall: no('NO_CURRENT_TICKET'),
    start: no('NO_CURRENT_TICKET'),
    finish: no('NO_CURRENT_TICKET'),
    'no-show': no('NO_CURRENT_TICKET'),
    transfer: no('NO_CURRENT_TICKET'),
    cancel: no('TICKET_CLOSED'),
    reactivate: to('waiting'), // T9
    evaluate: no('TICKET_NOT_DONE'),
  },
  cancelled: {
    'call-next': to('cancelled'),
    recall: no('NO_CURRENT_TICKET'),
    start: no('NO_CURRENT_TICKET'),
    finish: no('NO_CURRENT_TICKET'),
    'no-show': no('NO_CURRENT_TICKET'),
    transfer: no('NO_CURRENT_TICKET'),
    cancel: no('TICKET_CLOSED'),
    reactivate: no('TICKET_NOT_NO_SHOW'),
    evaluate: no('TICKET_NOT_DONE'),
  },
};

/** A world where the one gen-a ticket is in `status` (w1 open; w1 holds it when called or serving). */
function ticketIn(status: TicketStatus): { w: World; ticket: TicketRecord } {
  const w = new World();
  w.open('w1');
  const ticket = w.take('gen-a');
  const steps: Record<TicketStatus, () => void> = {
    waiting: () => {},
    called: () => w.call('w1'),
    serving: () => {
      w.call('w1');
      w.ok(w.start('w1'));
    },
    done: () => {
      w.call('w1');
      w.ok(w.finish('w1'));
    },
    no_show: () => {
      w.call('w1');
      w.ok(w.noShow('w1'));
    },
    cancelled: () => void w.ok(w.cancel(ticket.id)),
  };
  steps[status]();
  expect(w.ticket(ticket.id).status).toBe(status);
  return { w, ticket };
}

function run(w: World, command: Command, ticketId: string): Outcome<unknown> {
  switch (command) {
    case 'call-next':
      return w.callNext('w1');
    case 'recall':
      return w.recall('w1');
    case 'start':
      return w.start('w1');
    case 'finish':
      return w.finish('w1');
    case 'no-show':
      return w.noShow('w1');
    case 'transfer':
      return w.transfer('w1', { serviceId: 'gen-b' });
    case 'cancel':
      return w.cancel(ticketId);
    case 'reactivate':
      return w.reactivate(ticketId);
    case 'evaluate':
      return w.evaluate(ticketId, 'satisfied');
  }
}

const STATUSES = Object.keys(TABLE) as TicketStatus[];
const cells = STATUSES.flatMap((status) =>
  (Object.entries(TABLE[status]) as [Command, Cell][]).map(([command, cell]) => ({
    status,
    command,
    cell,
    expected: 'becomes' in cell ? `→ ${cell.becomes}` : cell.refused,
  })),
);

describe('T10 the state × command table', () => {
  it('T10 the table has every status × every command', () => {
    expect(STATUSES.sort()).toEqual(['called', 'cancelled', 'done', 'no_show', 'serving', 'waiting']);
    expect(cells).toHaveLength(6 * 9);
  });

  it.each(cells)('T10 $status × $command: $expected', ({ status, command, cell }) => {
    const { w, ticket } = ticketIn(status);
    const before = w.ticket(ticket.id);
    const counterBefore = w.counter('w1');
    const o = run(w, command, ticket.id);
    if ('refused' in cell) {
      expect(o.ok ? 'ok' : o.code).toBe(cell.refused);
      // a refusal changes nothing
      expect(w.ticket(ticket.id)).toBe(before);
      expect(w.counter('w1')).toBe(counterBefore);
    } else {
      expect(o.ok ? 'ok' : o.code).toBe('ok');
      expect(w.ticket(ticket.id).status).toBe(cell.becomes);
      // the waiting index follows the status (V2)
      expect(w.state.waiting.has(ticket.id)).toBe(cell.becomes === 'waiting');
      // w1 holds the ticket if and only if it is called or serving (V3)
      const held = cell.becomes === 'called' || cell.becomes === 'serving';
      expect(w.counter('w1').currentTicketId === ticket.id).toBe(held);
    }
  });

  it('T10 recall of a called ticket is a transition to called with one more recall', () => {
    const { w, ticket } = ticketIn('called');
    w.ok(w.recall('w1'));
    expect(w.ticket(ticket.id).recallCount).toBe(1);
  });

  it.each(['done', 'cancelled', 'no_show'] as const)(
    'T11 a %s ticket is left as it is by every command in turn (but reactivate for a no-show)',
    (status) => {
      const { w, ticket } = ticketIn(status);
      const before = w.ticket(ticket.id);
      for (const c of Object.keys(TABLE[status]) as Command[]) if (c !== 'reactivate') run(w, c, ticket.id);
      expect(w.ticket(ticket.id)).toBe(before);
      // and it is never called again
      w.take('gen-b');
      expect(w.ok(w.callNext('w1'))?.number).toBe('A002');
      expect(w.ticket(ticket.id)).toBe(before);
    },
  );
});
