import { createApp } from "./app";
import { config } from "./config";

const app = createApp();

// readiness-disable-next-line console-logging -- startup banner
app.listen(config.port, () => {
  console.log(`acme-api listening on port ${config.port} (${config.env})`);
});

process.on("unhandledRejection", (reason) => {
  console.error("Unhandled rejection", reason);
});
