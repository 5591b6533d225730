/**
 * The baseline: a bare socket.io server with the Yimen server's socket.io options and nothing else
 * (no auth, no snapshot, no database). Plain JavaScript, so as a child process it loads no TypeScript
 * loader and its memory compares fairly with `node apps/queue-server/dist/main.js`.
 *
 * Runs in two ways:
 * - worker thread: posts {type:'ready', url}; requests {id, type} answered {id, ok, value|error};
 * - child process (`node bench/servers/bare-io.mjs [port] [host]`): prints "listening on URL" like the
 *   Yimen server; with an IPC channel the same requests arrive through process.send.
 * Requests: 'broadcast' {facts, times} — io.emit('sync:facts', facts) (one message, as the server sends a commit's facts), `times` over, answered
 * {clients, ms} (ms: the time the emits took); 'close'.
 */
import { createServer } from 'node:http';
import { parentPort } from 'node:worker_threads';
import { Server } from 'socket.io';

const httpServer = createServer((_req, res) => {
  res.writeHead(404).end();
});
const io = new Server(httpServer, {
  serveClient: false,
  maxHttpBufferSize: 64 * 1024,
  pingInterval: 10_000,
  pingTimeout: 8_000,
  cors: { origin: false },
});

/** @param {{ type: string, facts?: unknown[], times?: number }} req */
async function handle(req) {
  switch (req.type) {
    case 'broadcast': {
      const t0 = performance.now();
      for (let i = 0; i < (req.times ?? 1); i++) io.emit('sync:facts', req.facts ?? []);
      return { clients: io.engine.clientsCount, ms: performance.now() - t0 };
    }
    case 'close':
      await new Promise((resolve) => io.close(() => resolve(undefined)));
      return null;
    default:
      throw new Error(`unknown request ${req.type}`);
  }
}

/** @param {(m: unknown) => void} send */
function answer(send) {
  /** @param {{ id: number, type: string, facts?: unknown[], times?: number }} req */
  return async (req) => {
    try {
      send({ id: req.id, ok: true, value: await handle(req) });
    } catch (e) {
      send({ id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  };
}

const port = parentPort === null ? Number(process.argv[2] ?? 0) : 0;
const host = (parentPort === null && process.argv[3]) || '127.0.0.1';
httpServer.listen(port, host, () => {
  const a = httpServer.address();
  const url = `http://${host}:${typeof a === 'object' && a ? a.port : port}`;
  if (parentPort) {
    parentPort.on(
      'message',
      answer((m) => parentPort?.postMessage(m)),
    );
    parentPort.postMessage({ type: 'ready', url });
  } else {
    const send = process.send?.bind(process);
    if (send)
      process.on(
        'message',
        answer((m) => send(m)),
      );
    process.on('SIGTERM', () => io.close(() => process.exit(0)));
    process.stdout.write(`listening on ${url}\n`);
  }
});
