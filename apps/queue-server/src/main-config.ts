import { fileURLToPath } from 'node:url';

/** The demo hall shipped with the server (apps/queue-server/halls/demo-hall.yaml). */
export const DEMO_HALL_FILE = fileURLToPath(new URL('../halls/demo-hall.yaml', import.meta.url));
