/**
 * The one module of the Electron shell that touches the kiosk agent (src/agent, hosted in-process here).
 * The build (scripts/build-electron.mjs) leaves this import out of the bundle and points it at the agent's own
 * build, dist/agent/index.js, so the shell and `node dist/agent/main.js` run the same agent code.
 */
export {
  type AgentConfig,
  type AgentLogger,
  type KioskAgent,
  loadAgentConfig,
  startAgent,
} from '../src/agent/index.js';
