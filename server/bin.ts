/** Entry of the bundled `dist/server.js`: `node dist/server.js --stdio` (or `--node-ipc`). */
import { startServer, transportOf, TRANSPORT_USAGE } from "./main";

const transport = transportOf(process.argv.slice(2));
if (transport) startServer(transport);
else {
  process.stderr.write(`${TRANSPORT_USAGE}\n`);
  process.exitCode = 2;
}
