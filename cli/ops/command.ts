/**
 * Runs an operator command: its flags, files and network are untrusted, so every expected
 * failure is a short message and an exit code, never a stack trace.
 */
import { EnvironmentError } from "../../core/errors";
import { UsageError } from "../args";

/** A failure the command explains itself (unreadable file, unreachable cluster…): exit 1. */
export class CommandError extends Error {}

/** Once a command is done, whatever is still open (a socket, a forward) gets this long to close. */
const EXIT_GRACE_MS = 2000;

/** Runs `main`, prints `name: message` for usage (exit 2) and command errors (exit 1). */
export function runCommand(name: string, usage: string, main: () => Promise<number>): void {
  const done = main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`${name}: ${error.message}\nusage: ${usage}`);
        process.exitCode = 2;
        return;
      }
      if (error instanceof CommandError || error instanceof EnvironmentError) {
        console.error(`${name}: ${error.message}`);
        process.exitCode = 1;
        return;
      }
      // Not expected: still no stack unless asked for, the message names what failed.
      const detail = process.env.AICOCKPIT_DEBUG ? (error as Error).stack : ((error as Error)?.message ?? String(error));
      console.error(`${name}: unexpected error: ${detail}${process.env.AICOCKPIT_DEBUG ? "" : " (set AICOCKPIT_DEBUG=1 for details)"}`);
      process.exitCode = 1;
    },
  );
  // Nothing hangs: a handle left open by a failure cannot keep the process alive.
  void done.finally(() => setTimeout(() => process.exit(), EXIT_GRACE_MS).unref());
}
