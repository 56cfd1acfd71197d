/** Inserts a chat code block at the cursor of the last active editor (one undo step), or in a new file. */
import * as vscode from "vscode";

export async function insertCodeBlockCommand(code: unknown): Promise<boolean> {
  if (typeof code !== "string") return false;
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    const document = await vscode.workspace.openTextDocument({ content: code });
    await vscode.window.showTextDocument(document);
    return true;
  }
  await vscode.window.showTextDocument(editor.document, editor.viewColumn);
  return editor.edit((builder) => builder.replace(editor.selection, code));
}
