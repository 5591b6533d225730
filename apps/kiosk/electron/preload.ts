/**
 * The kiosk window's preload: `window.kiosk`, the KioskApi over IPC (bridge.ts). The window is sandboxed, and a
 * sandboxed preload may require('electron') and nothing of its own, so the build bundles this file and what it
 * imports into one CommonJS file, dist/electron/preload.cjs (scripts/build-electron.mjs).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { exposeKiosk } from './bridge.js';

exposeKiosk(contextBridge, ipcRenderer);
