/** The entry point of `dist/server.js`: `node dist/server.js --stdio` (or `--node-ipc`, `--socket=N`, `--pipe=NAME`). */
import { startServer } from './main';

startServer();
