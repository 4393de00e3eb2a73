/** What a command needs from its process, passed in so tests can run commands in-process. */
export interface CommandIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A mistake in how the command was called: reported as one line, exit code 2. */
export class UsageError extends Error {}
