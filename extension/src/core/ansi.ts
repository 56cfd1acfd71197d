/* eslint-disable no-control-regex -- ANSI escape sequences are made of control characters. */
/** Terminal data carries colour and shell-integration escape sequences; the model needs text. */

/** `text` without ANSI escape sequences (OSC, CSI and two-byte escapes), with `\n` line ends. */
export function stripAnsi(text: string): string {
  return (
    text
      // OSC: window titles, shell-integration marks (`ESC ] 633 ; … BEL`), hyperlinks; ended by BEL or ST.
      .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, "")
      // CSI: colours, cursor moves, erases (`ESC [ params intermediates final`).
      .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, "")
      // Any other two-byte escape: `ESC` and one of @ to _ but `[` (C1 controls such as `ESC M`, or a stray `ESC \`).
      .replace(/\x1b[@-Z\\-_]/g, "")
      .replace(/\r\n?/g, "\n")
  );
}
