/**
 * Node flags the VS Code extension starts the server with (and the server benchmark too). A small
 * young generation: a workspace scan allocates a syntax tree per file that dies right away, and V8
 * would otherwise keep up to 2 × 16 MB of semi-space committed for them (about 16 MB of RSS, no
 * measurable time). V8 reads it at start-up only, so it cannot be set from inside the server.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=2"];
