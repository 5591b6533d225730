/** Opens the real devices of a bridge configuration: serial lines (serialport) and window screens (by protocol). */
import { openCp5200 } from '../cp5200/screen.js';
import { openOnbon } from '../onbon/screen.js';
import type { WindowScreen } from '../screens/window-screen.js';
import { openSerialPort, type Port } from '../serial/port.js';
import type { LineConfig, ScreenConfig } from './config.js';

export function openLine(line: LineConfig): Promise<Port> {
  return openSerialPort(line.port, { baudRate: line.baudRate });
}

export function openScreen(screen: ScreenConfig): Promise<WindowScreen> {
  switch (screen.protocol) {
    case 'onbon':
      return openOnbon(screen.uri, { screenAddress: screen.address, width: screen.width, height: screen.height });
    case 'cp5200':
      return openCp5200(screen.uri, { id: screen.address });
  }
}
