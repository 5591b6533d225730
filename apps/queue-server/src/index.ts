export { HallConfigError, loadHallConfig, validateHallConfig } from './app/hall-config.js';
export { type App, type AppOptions, createApp } from './app.js';
export { DEMO_HALL_FILE } from './main-config.js';
