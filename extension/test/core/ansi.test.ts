import { stripAnsi } from "../../src/core";

const ESC = "\x1b";
const BEL = "\x07";

describe("stripAnsi", () => {
  test("removes colours and cursor movement, keeping the text", () => {
    expect(stripAnsi(`${ESC}[1;31merror${ESC}[0m: cannot find module ${ESC}[32m'x'${ESC}[39m`)).toBe("error: cannot find module 'x'");
    expect(stripAnsi(`50%${ESC}[2K${ESC}[1G100%${ESC}[?25h`)).toBe("50%100%");
  });

  test("removes shell-integration marks, titles and hyperlinks, ended by BEL or ST", () => {
    const marked = `${ESC}]633;A${BEL}$ ${ESC}]633;B${BEL}npm test${ESC}]633;E;npm test;nonce${BEL}\n${ESC}]633;D;1${BEL}`;
    expect(stripAnsi(marked)).toBe("$ npm test\n");
    expect(stripAnsi(`${ESC}]0;~/project${BEL}ok`)).toBe("ok");
    expect(stripAnsi(`see ${ESC}]8;;https://example.com${ESC}\\docs${ESC}]8;;${ESC}\\`)).toBe("see docs");
  });

  test("removes two-byte escapes but leaves an incomplete CSI's text", () => {
    expect(stripAnsi(`a${ESC}Mb${ESC}\\c`)).toBe("abc");
    expect(stripAnsi(`x${ESC}[`)).toBe(`x${ESC}[`);
  });

  test("turns CRLF and lone CR into LF", () => {
    expect(stripAnsi("one\r\ntwo\rthree\n")).toBe("one\ntwo\nthree\n");
  });

  test("leaves plain text and non-ASCII alone", () => {
    const text = "Übersetzung fehlgeschlagen: 'ünïcødé' → ✗\n\ttab";
    expect(stripAnsi(text)).toBe(text);
  });
});
